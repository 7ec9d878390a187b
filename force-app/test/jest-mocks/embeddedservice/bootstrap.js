/*
 * Jest stand-in for Enhanced Chat's client API: the `embeddedservice_bootstrap` window global that the deployment's
 * code snippet creates on a real page (prechatAPI, userVerificationAPI), plus the window events it dispatches.
 * Components never import this; tests install it on `window` and read back what was called.
 */

const copy = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

/**
 * Installs a recording `window.embeddedservice_bootstrap`.
 * @param {{ userVerification?: boolean, rejectHiddenFields?: boolean }} [options]
 *   userVerification: whether userVerificationAPI exists (default true);
 *   rejectHiddenFields: setHiddenPrechatFields throws, as the real client does for unknown names or over-long values.
 */
export function installEmbeddedServiceBootstrap(options = {}) {
  const { userVerification = true, rejectHiddenFields = false } = options;
  const calls = [];
  const record = (method, fail) => (arg) => {
    if (fail) {
      throw new Error(`${method} rejected the values`);
    }
    calls.push({ method, arg: copy(arg) });
  };
  window.embeddedservice_bootstrap = {
    prechatAPI: {
      setHiddenPrechatFields: record('setHiddenPrechatFields', rejectHiddenFields),
      removeHiddenPrechatFields: record('removeHiddenPrechatFields', false),
    },
    userVerificationAPI: userVerification
      ? {
          setIdentityToken: record('setIdentityToken', false),
          clearSession: record('clearSession', false),
        }
      : undefined,
  };
  return {
    calls,
    callsTo: (method) => calls.filter((call) => call.method === method).map((call) => call.arg),
    uninstall: () => {
      delete window.embeddedservice_bootstrap;
    },
  };
}

/** Dispatches one of the client's window events (onEmbeddedMessagingReady, ...). */
export function dispatchChatEvent(name, detail) {
  window.dispatchEvent(detail === undefined ? new Event(name) : new CustomEvent(name, { detail }));
}
