// A stand-in for the few sinon sandbox features that @salesforce/core's TestContext uses (sinon is not installed here,
// and adding it is the lead's call). TestContext only ever does `createSandbox()`, `sandbox.stub(object, method)` with
// `.callsFake / .resolves / .rejects / .returns / .throws`, and `sandbox.restore()`; this implements exactly those,
// so TestContext's real stubbing of config files, auth files and Connection.request runs unchanged.

type AnyFunction = (...args: unknown[]) => unknown;

interface ShimStub {
  callsFake(fake: AnyFunction): ShimStub;
  resolves(value?: unknown): ShimStub;
  rejects(error?: unknown): ShimStub;
  returns(value?: unknown): ShimStub;
  throws(error?: unknown): ShimStub;
}

export interface ShimSandbox {
  stub(target: object, method: string): ShimStub;
  restore(): void;
}

function createSandbox(): ShimSandbox {
  const restorers: Array<() => void> = [];
  return {
    stub(target: object, method: string): ShimStub {
      const holder = target as Record<string, unknown>;
      const hadOwn = Object.prototype.hasOwnProperty.call(holder, method);
      const original = holder[method];
      let behaviour: AnyFunction = () => undefined;
      const replacement = function (this: unknown, ...args: unknown[]): unknown {
        return behaviour.apply(this, args);
      };
      holder[method] = replacement;
      restorers.push(() => {
        if (hadOwn) holder[method] = original;
        else delete holder[method];
      });
      const stub: ShimStub = {
        callsFake(fake) {
          behaviour = fake;
          return stub;
        },
        resolves(value) {
          behaviour = () => Promise.resolve(value);
          return stub;
        },
        rejects(error) {
          behaviour = () => Promise.reject(error instanceof Error ? error : new Error(String(error)));
          return stub;
        },
        returns(value) {
          behaviour = () => value;
          return stub;
        },
        throws(error) {
          behaviour = () => {
            throw error instanceof Error ? error : new Error(String(error));
          };
          return stub;
        },
      };
      return stub;
    },
    restore() {
      // Undo in reverse order so a method stubbed twice ends at its true original.
      while (restorers.length > 0) restorers.pop()!();
    },
  };
}

export const sinonShim = { createSandbox };
