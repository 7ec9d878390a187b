/*
 * Demo stand-in for the platform module `@salesforce/user/isGuest`. On a site the value arrives with the page and holds
 * for the page's lifetime (signing in or out loads a new page). The demo site does the same: it writes the session's
 * answer into the page it serves (<meta name="prechat-guard-demo-is-guest">, true before sign-in, false after), and
 * this module reads it once, when the bundle loads.
 */
/// <reference lib="dom" />

const content = document.querySelector('meta[name="prechat-guard-demo-is-guest"]')?.getAttribute('content');
// Anything but an explicit "false" is a guest: without the site's word, the page must not ask Apex.
const isGuest: boolean = content !== 'false';

export default isGuest;
