/*
 * prechat-guard snippet settings file for legacy Embedded Service Chat on an Experience Cloud site.
 *
 * Experience Builder > Embedded Service Chat component > Snippet Settings File: PrechatGuardSnippetSettings.
 *
 * Salesforce documents (KB 000380580) that a pre-chat component cannot hand values to `embedded_svc` itself. So this
 * file, which runs in the container page, declares two extra pre-chat details without values, mapped onto the
 * LiveChatTranscript fields PrechatGuard_User_Id__c and PrechatGuard_Token__c. When the visitor starts the chat,
 * c-prechatGuardLegacyPrechat dispatches `prechatguard:legacy-prechat` on `document` with
 * { userId, token, startChat }; the listener below fills in the values and then calls startChat, and the platform
 * reads the values as the chat starts. displayToAgent stays false: the token is a credential and agents have no use
 * for it.
 */
/* global embedded_svc */
window._snapinsSnippetSettingsFile = (function () {
  var FIELDS = [
    { label: 'PrechatGuard User Id', detailKey: 'userId', transcriptField: 'PrechatGuard_User_Id__c' },
    { label: 'PrechatGuard Token', detailKey: 'token', transcriptField: 'PrechatGuard_Token__c' },
  ];

  var extraPrechatFormDetails = FIELDS.map(function (field) {
    return { label: field.label, displayToAgent: false, transcriptFields: [field.transcriptField] };
  });
  embedded_svc.snippetSettingsFile.extraPrechatFormDetails = extraPrechatFormDetails;

  document.addEventListener('prechatguard:legacy-prechat', function (event) {
    var detail = (event && event.detail) || {};
    FIELDS.forEach(function (field, index) {
      var value = detail[field.detailKey];
      // Guests (null values): no value at all, so nothing that looks like an identity reaches the transcript, and
      // nothing is left over from an earlier chat on the same page.
      if (typeof value === 'string' && value !== '') {
        extraPrechatFormDetails[index].value = value;
      } else {
        delete extraPrechatFormDetails[index].value;
      }
    });
    // Values first, then the chat: the platform reads extraPrechatFormDetails when the chat starts.
    if (typeof detail.startChat === 'function') {
      detail.startChat();
    }
  });
})();
