// sa11y's `toBeAccessible()` matcher, registered for every LWC test by jest-sa11y-setup.js, is proven able to fail:
// the component tests' passing checks mean something only because an inaccessible fragment is rejected. It sits beside
// the pre-chat form's tests because the form is where every input needs a label. The fragments live in a test-only host
// element, built with DOM calls, and are removed after each test.

/** Appends a test-only host to the page and lets `build` fill it. */
function mountFragment(build: (host: HTMLElement) => void): HTMLElement {
  const host = document.createElement('div');
  host.dataset.testOnly = 'accessibility-fragment';
  build(host);
  document.body.appendChild(host);
  return host;
}

function textInput(id: string): HTMLInputElement {
  const input = document.createElement('input');
  input.type = 'text';
  input.id = id;
  return input;
}

describe('toBeAccessible() (jest-sa11y-setup.js)', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
  });

  it('rejects an input without a label', async () => {
    const host = mountFragment((fragment) => fragment.appendChild(textInput('unlabelled')));

    await expect(expect(host).toBeAccessible()).rejects.toThrow('[label] Ensure every form element has a label');
  });

  it('rejects a button without an accessible name', async () => {
    const host = mountFragment((fragment) => fragment.appendChild(document.createElement('button')));

    await expect(expect(host).toBeAccessible()).rejects.toThrow('[button-name]');
  });

  it('accepts the same input once a label names it', async () => {
    const host = mountFragment((fragment) => {
      const label = document.createElement('label');
      label.htmlFor = 'labelled';
      label.textContent = 'First Name';
      fragment.append(label, textInput('labelled'));
    });

    await expect(host).toBeAccessible();
  });
});
