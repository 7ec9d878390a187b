/*
 * prechat-guard snippet settings file for legacy Embedded Service Chat on an Experience Cloud site.
 *
 * Experience Builder > Embedded Service Chat component > Snippet Settings File: PrechatGuardSnippetSettings.
 * It maps the two extra pre-chat values that c-prechatGuardLegacyPrechat adds when it calls startChat
 * ("PrechatGuard User Id", "PrechatGuard Token") onto the LiveChatTranscript fields PrechatGuard_User_Id__c and
 * PrechatGuard_Token__c. Salesforce merges extra values with the Setup values by label.
 *
 * Salesforce also documents (KB 000380580) that a pre-chat component cannot hand values to `embedded_svc` itself:
 * the container page declares the labels without values, and fills them in from a `document` event that the
 * component dispatches just before it starts the chat. The listener below does that, so the values arrive on either
 * route. displayToAgent stays false: the token is a credential and agents have no use for it.
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
      // Guests (null values): no value at all, so nothing that looks like an identity reaches the transcript.
      if (typeof value === 'string' && value !== '') {
        extraPrechatFormDetails[index].value = value;
      } else {
        delete extraPrechatFormDetails[index].value;
      }
    });
  });
})();
