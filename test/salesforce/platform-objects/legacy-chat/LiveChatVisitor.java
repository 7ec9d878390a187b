// Checker-only stub, never deployed: the legacy Chat visitor object for apex-ls, see LiveChatTranscript.java beside it.
// Fields follow Salesforce's Object Reference for LiveChatVisitor.
package com.nawforce.runforce.SObjects;

import com.nawforce.runforce.Internal.SObjectFields$;
import com.nawforce.runforce.Internal.SObjectType$;
import com.nawforce.runforce.System.Datetime;
import com.nawforce.runforce.System.Id;
import com.nawforce.runforce.System.SObject;
import com.nawforce.runforce.System.String;

@SuppressWarnings("unused")
public class LiveChatVisitor extends SObject {
  public static SObjectType$<LiveChatVisitor> SObjectType;
  public static SObjectFields$<LiveChatVisitor> Fields;

  public Id CreatedById;
  public User CreatedBy;
  public Datetime CreatedDate;
  public Id Id;
  public com.nawforce.runforce.System.Boolean IsDeleted;
  public Id LastModifiedById;
  public User LastModifiedBy;
  public Datetime LastModifiedDate;
  public Datetime LastReferencedDate;
  public Datetime LastViewedDate;
  public String Name;
  public String SessionKey;
  public Datetime SystemModstamp;
}
