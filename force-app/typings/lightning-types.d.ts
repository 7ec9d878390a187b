// Platform types for the TypeScript LWC sources (Salesforce's TS-for-LWC template does the same: import the package
// once in a declaration file that tsconfig includes).
import '@salesforce/lightning-types';
