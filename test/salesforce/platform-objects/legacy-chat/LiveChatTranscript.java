// Checker-only stub, never deployed: the legacy Chat transcript object for apex-ls (scripts/check/apexSemantic.ts).
// apex-ls knows the standard objects from Java classes in its sobject-types jar, and LiveChatTranscript is missing there
// because it exists only in orgs with legacy Chat enabled. The check compiles this class into a copy of that jar and
// uses the copy only for package directories that hold objects/LiveChatTranscript (legacy-chat). Fields follow
// Salesforce's Object Reference for LiveChatTranscript; the custom fields come from the package directory itself.
package com.nawforce.runforce.SObjects;

import com.nawforce.runforce.Internal.SObjectFields$;
import com.nawforce.runforce.Internal.SObjectType$;
import com.nawforce.runforce.System.Datetime;
import com.nawforce.runforce.System.Id;
import com.nawforce.runforce.System.Integer;
import com.nawforce.runforce.System.SObject;
import com.nawforce.runforce.System.String;

@SuppressWarnings("unused")
public class LiveChatTranscript extends SObject {
  public static SObjectType$<LiveChatTranscript> SObjectType;
  public static SObjectFields$<LiveChatTranscript> Fields;

  public Integer Abandoned;
  public Id AccountId;
  public Account Account;
  public Integer AverageResponseTimeOperator;
  public Integer AverageResponseTimeVisitor;
  public String Body;
  public String Browser;
  public String BrowserLanguage;
  public Id CaseId;
  public Case Case;
  public Integer ChatDuration;
  public String ChatKey;
  public Id ContactId;
  public Contact Contact;
  public Id CreatedById;
  public User CreatedBy;
  public Datetime CreatedDate;
  public String EndedBy;
  public Datetime EndTime;
  public Id Id;
  public String IpAddress;
  public com.nawforce.runforce.System.Boolean IsChatbotSession;
  public com.nawforce.runforce.System.Boolean IsDeleted;
  public Id LastModifiedById;
  public User LastModifiedBy;
  public Datetime LastModifiedDate;
  public Datetime LastReferencedDate;
  public Datetime LastViewedDate;
  public Id LeadId;
  public Lead Lead;
  public Id LiveChatButtonId;
  public Id LiveChatDeploymentId;
  public Id LiveChatVisitorId;
  public LiveChatVisitor LiveChatVisitor;
  public String Location;
  public Integer MaxResponseTimeOperator;
  public Integer MaxResponseTimeVisitor;
  public String Name;
  public Integer OperatorMessageCount;
  public Id OwnerId;
  public Name Owner;
  public String Platform;
  public String ReferrerUri;
  public Datetime RequestTime;
  public String ScreenResolution;
  public Id SkillId;
  public Skill Skill;
  public Datetime StartTime;
  public String Status;
  public String SupervisorTranscriptBody;
  public Datetime SystemModstamp;
  public String UserAgent;
  public Integer VisitorMessageCount;
  public String VisitorNetwork;
  public Integer WaitTime;
}
