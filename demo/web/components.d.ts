// The project's components as the demo page imports them: the build maps `c/*` to the TypeScript sources in force-app
// and legacy-chat. Typed here as plain LWC constructors so the root type check does not pull the LWC sources (they
// have their own tsconfig in force-app/main/default/lwc and legacy-chat/main/default/lwc).
declare module 'c/prechatGuardEnhancedChat' {
  import { LightningElement } from 'lwc';
  const PrechatGuardEnhancedChat: typeof LightningElement;
  export default PrechatGuardEnhancedChat;
}

declare module 'c/prechatGuardLegacyPrechat' {
  import { LightningElement } from 'lwc';
  const PrechatGuardLegacyPrechat: typeof LightningElement;
  export default PrechatGuardLegacyPrechat;
}
