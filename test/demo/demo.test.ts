// The whole flow in a real browser: the demo page (the project's LWC components compiled from force-app, platform
// stand-ins, the real service over loopback) driven in Debian's headless Chromium. One screenshot per state in .e2e/.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { BROWSER_REQUIRED, CHROMIUM_PATH, HOW_TO_ENABLE, chromiumAvailable, launchChromium } from './support/browser';
import { E2E_DIR, startTestStack, type TestStack } from './support/demoStack';
import { DEMO_USERS } from '../../demo/site/users';

const [ada, grace] = DEMO_USERS as [(typeof DEMO_USERS)[0], (typeof DEMO_USERS)[0]];

const SCREENSHOTS = path.join(E2E_DIR, 'screenshots');
const available = chromiumAvailable();

if (!available && BROWSER_REQUIRED) {
  describe('browser suite', () => {
    test('has Chromium to run in (PRECHAT_GUARD_REQUIRE_BROWSER=1)', () => {
      throw new Error(`PRECHAT_GUARD_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM_PATH}. ${HOW_TO_ENABLE}`);
    });
  });
} else if (!available) {
  process.stderr.write(
    `\nprechat-guard: browser suite SKIPPED — no Chromium at ${CHROMIUM_PATH}. ${HOW_TO_ENABLE}\n\n`,
  );
}

const suite = available ? describe : describe.skip;

suite('demo page in headless Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  /** Requests the page made to the Apex stand-in (PrechatGuardIdentityController.getIdentity). */
  let identityCalls: number;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [stack, browser] = await Promise.all([startTestStack({ build: true }), launchChromium()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 960 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  beforeEach(async () => {
    // One context for the file (cheaper than one per test); each test starts signed out, on a new page.
    await context.clearCookies();
    page = await context.newPage();
    page.setDefaultTimeout(8000);
    problems = [];
    identityCalls = 0;
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/demo/api/identity') identityCalls += 1;
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') {
        problems.push(`console ${message.type()}: ${message.text()}`);
      }
    });
  });

  afterEach(async () => {
    await page.close();
    // Any engine warning, failed request or uncaught error on the page fails the test that caused it.
    expect(problems).toEqual([]);
  });

  /** Opens the demo; signs in through the page's form, or (quicker) through the same endpoint before loading. */
  async function open(options: { user?: string; path?: 'legacy'; viaForm?: boolean } = {}): Promise<void> {
    const url = stack.url + (options.path === 'legacy' ? '/?path=legacy' : '/');
    if (options.user && !options.viaForm) {
      const userId = DEMO_USERS.find((user) => `${user.firstName} ${user.lastName}` === options.user)?.id;
      const response = await context.request.post(`${stack.url}/demo/api/login`, { data: { userId } });
      expect(response.status()).toBe(200);
    }
    await page.goto(url);
    await page.getByTestId('site-user').waitFor();
    if (options.user && options.viaForm) {
      await page.getByLabel('Demo user').selectOption({ label: options.user });
      await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Log in' }).click()]);
    }
    await expectText(
      page.getByTestId('site-user'),
      options.user ? `Signed in as ${options.user}` : 'Browsing as a guest',
    );
  }

  /** Enhanced Chat: waits for the component to hand over its values, opens the window, starts the conversation. */
  async function startEnhancedChat(expectFields: boolean): Promise<Locator> {
    const status = page.locator('c-prechat-guard-enhanced-chat [role="status"]');
    await expectText(status, expectFields ? "Chat will know you're signed in" : "You're not signed in");
    await page.getByRole('button', { name: 'Chat with us' }).click();
    const fields = page.getByTestId('hidden-fields');
    await expectText(fields, expectFields ? /PrechatGuard_Token\s*eyJ/ : /PrechatGuard_Token\s*not set/);
    await page.getByRole('button', { name: 'Start conversation' }).click();
    return chatWindow(1);
  }

  function chatWindow(number: number): Locator {
    return page.locator(`section[data-chat="${number}"]`);
  }

  function botMessages(chat: Locator): Locator {
    return chat.locator('li[data-from="bot"]');
  }

  async function expectText(locator: Locator, text: string | RegExp): Promise<void> {
    await locator.filter({ hasText: text }).first().waitFor();
  }

  async function attack(name: 'change-user' | 'edit-token' | 'foreign-key' | 'other-chat'): Promise<void> {
    await page.locator(`input[name="${name}"]`).check();
  }

  /** The chat-id attack: which of the victim's chats to ask for, and how the admin set up the Chat Record Id input. */
  async function askForAnotherChat(input: 'context-variable' | 'agent', target: 'Active' | 'Ended'): Promise<void> {
    await attack('other-chat');
    await page.locator(`input[name="other-chat-target"][value="${target}"]`).check();
    await page.locator(`input[name="chat-record-id-input"][value="${input}"]`).check();
  }

  /** The bot's answer to the visitor's question about another chat (the second bot message), once it arrived. */
  async function answerToTheAsk(chat: Locator): Promise<Locator> {
    await expectText(chat.locator('li[data-from="visitor"]'), /Please look up chat 0Mw[0-9A-Za-z]{15}/);
    const answer = botMessages(chat).nth(1);
    await answer.waitFor();
    return answer;
  }

  async function screenshot(name: string): Promise<void> {
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  /** The error boxes of both components (role="alert"), wherever they are on the page. */
  function alerts(): Locator {
    return page.locator('c-prechat-guard-enhanced-chat [role="alert"], c-prechat-guard-legacy-prechat [role="alert"]');
  }

  /** Legacy path: opens the chat window and waits for the form to say who it thinks the visitor is. */
  async function openLegacyForm(status: string | RegExp): Promise<Locator> {
    await page.getByRole('button', { name: 'Chat with us' }).click();
    const form = page.locator('c-prechat-guard-legacy-prechat');
    await expectText(form.locator('[role="status"]'), status);
    return form;
  }

  async function expectVerdict(chat: Locator, reason: string, detail: RegExp): Promise<void> {
    const bot = botMessages(chat).first();
    await bot.waitFor();
    expect(await bot.getAttribute('data-verified')).toBe('false');
    expect(await bot.getAttribute('data-reason')).toBe(reason);
    await expectText(bot, detail);
    await expectText(bot, /couldn't confirm who you are|not signed in/);
  }

  test('a signed-in user is verified and greeted by first name', async () => {
    await open({ user: 'Ada Lovelace', viaForm: true });
    const chat = await startEnhancedChat(true);
    const bot = botMessages(chat).first();
    await expectText(bot, "Hi Ada! I've verified that you're signed in as Ada Lovelace.");
    expect(await bot.getAttribute('data-verified')).toBe('true');
    await expectText(bot, /binding new/);
    // The bot's request carried the conversation id as session key; the caller key never reaches the page.
    await expectText(page.getByTestId('exchange'), /"sessionKey": "0dw[0-9A-Za-z]{15}"/);
    expect(await page.content()).not.toContain(stack.service.prechatGuard.dev!.callerKey);
    // A member's page asks Apex (the control for the guest tests, which count the same requests).
    expect(identityCalls).toBeGreaterThan(0);
    await screenshot('01-verified-greeting');
  });

  test('a changed user id is refused: user_mismatch', async () => {
    await open({ user: 'Ada Lovelace' });
    await attack('change-user');
    const chat = await startEnhancedChat(true);
    await expectVerdict(chat, 'user_mismatch', /not the user the token was issued to/);
    await expectText(chat.locator('li[data-from="system"]'), "Attacker changed the user id to Grace's");
    await screenshot('02-user-id-tampering');
  });

  test('an edited token is refused: bad_signature', async () => {
    await open({ user: 'Ada Lovelace' });
    await attack('edit-token');
    const chat = await startEnhancedChat(true);
    await expectVerdict(chat, 'bad_signature', /signature does not match/);
    await screenshot('03-token-tampering');
  });

  test('the same token replayed in a second chat is refused: replayed, while the first chat stays verified', async () => {
    await open({ user: 'Ada Lovelace' });
    const first = await startEnhancedChat(true);
    await expectText(botMessages(first).first(), 'Hi Ada!');
    await page.getByRole('button', { name: 'Replay the token in a second chat' }).click();
    const second = chatWindow(2);
    await expectVerdict(second, 'replayed', /already bound to another chat session/);
    // The original chat's next action verifies again and is still Ada's (same session).
    await first.getByLabel('Message for chat 1').fill('Show my open cases');
    await first.getByRole('button', { name: 'Send' }).click();
    const followUp = botMessages(first).nth(1);
    await expectText(followUp, /still Ada \(binding same-session\)/);
    expect(await followUp.getAttribute('data-verified')).toBe('true');
    await screenshot('04-replayed');
  });

  test('a guest chats anonymously: no Apex call, no error, no_token, and no token is sent anywhere', async () => {
    await open();
    const chat = await startEnhancedChat(false);
    await expectVerdict(chat, 'no_token', /visitor is not logged in/);
    // The bot does not call the service for a chat without a token.
    await expectText(page.getByTestId('exchange'), /No call: MessagingSession 0Mw\w+ carries no token/);
    // @salesforce/user/isGuest said guest: the component never asked Apex (a guest has no access to it).
    expect(identityCalls).toBe(0);
    expect(await alerts().count()).toBe(0);
    expect(await page.getByTestId('api-log').textContent()).not.toContain('setHiddenPrechatFields');
    await screenshot('05-guest-no-token');
  });

  test('identity-token-expired: the component renews the token and the chat continues', async () => {
    await open({ user: 'Ada Lovelace' });
    const chat = await startEnhancedChat(true);
    const greeting = botMessages(chat).first();
    await expectText(greeting, 'Hi Ada!');
    const firstTokenId = await greeting.getAttribute('data-token-id');
    await expectText(page.getByTestId('api-log'), /handed to user verification 1 time/);

    await chat.getByRole('button', { name: 'Simulate token expiry' }).click();
    const renewal = botMessages(chat).nth(1);
    await expectText(renewal, 'Your sign-in was renewed, Ada');
    expect(await renewal.getAttribute('data-verified')).toBe('true');
    const renewedTokenId = await renewal.getAttribute('data-token-id');
    expect(renewedTokenId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(renewedTokenId).not.toBe(firstTokenId);
    await expectText(page.getByTestId('api-log'), /handed to user verification 2 time/);

    await chat.getByLabel('Message for chat 1').fill('Are you still there?');
    await chat.getByRole('button', { name: 'Send' }).click();
    await expectText(botMessages(chat).nth(2), /still Ada/);
    await screenshot('06-token-renewed');
  });

  test('a token signed with a foreign key is refused: unknown_key', async () => {
    await open();
    await attack('foreign-key');
    const chat = await startEnhancedChat(false);
    await expectVerdict(chat, 'unknown_key', /signing key \(kid\) that this service does not trust/);
    await screenshot('07-foreign-key');
  });

  test('the legacy pre-chat form starts a verified chat (LiveChatTranscript)', async () => {
    await open({ user: 'Grace Hopper', path: 'legacy' });
    // The identity reaches the transcript only through the real snippet settings file's listener (KB 000380580).
    const form = await openLegacyForm("You're signed in, Grace.");
    expect(await form.getByLabel('First Name').inputValue()).toBe('Grace');
    await screenshot('08-legacy-prechat-form');
    await form.getByRole('button', { name: 'Start chat' }).click();
    const bot = botMessages(chatWindow(1)).first();
    await expectText(bot, 'Hi Grace!');
    expect(await bot.getAttribute('data-verified')).toBe('true');
    await expectText(chatWindow(1), /LiveChatTranscript 570[0-9A-Za-z]{15}/);
    await screenshot('09-legacy-verified');
  });

  test('a guest on the legacy pre-chat form starts an anonymous chat without asking Apex', async () => {
    await open({ path: 'legacy' });
    const form = await openLegacyForm("You're not signed in. You can still chat");
    await form.getByLabel('First Name').fill('Guest');
    await form.getByLabel('Last Name').fill('Visitor');
    await form.getByRole('button', { name: 'Start chat' }).click();
    await expectVerdict(chatWindow(1), 'no_token', /visitor is not logged in/);
    await expectText(chatWindow(1), /LiveChatTranscript 570[0-9A-Za-z]{15}/);
    expect(identityCalls).toBe(0);
    expect(await alerts().count()).toBe(0);
    await screenshot('11-legacy-guest');
  });

  test('legacy: without the snippet settings file the chat still starts, unverified, with a console warning', async () => {
    await page.route('**/resource/PrechatGuardSnippetSettings', (route) => route.fulfill({ status: 404, body: '' }));
    await open({ user: 'Grace Hopper', path: 'legacy' });
    const form = await openLegacyForm("You're signed in, Grace.");
    await form.getByRole('button', { name: 'Start chat' }).click();
    await expectVerdict(chatWindow(1), 'no_token', /visitor is not logged in/);
    expect(await alerts().count()).toBe(0);
    // Expected here, and only here: the missing file, and the component naming it for the admin.
    const expected = problems.filter(
      (problem) =>
        /404/.test(problem) ||
        /nothing answered prechatguard:legacy-prechat.*PrechatGuardSnippetSettings/.test(problem),
    );
    expect(expected).toHaveLength(2);
    problems = problems.filter((problem) => !expected.includes(problem));
  });

  test("asking the agent for another chat's id, input bound as documented: the bot stays with the visitor's own identity", async () => {
    await open({ user: 'Ada Lovelace' });
    await askForAnotherChat('context-variable', 'Active');
    const chat = await startEnhancedChat(true);
    await expectText(
      chat.locator('li[data-from="system"]'),
      /Grace is chatting in another browser: MessagingSession 0Mw/,
    );
    await expectText(
      chat.locator('li[data-from="system"]'),
      /bound to the RoutableId context variable \(as documented\)/,
    );
    const answer = await answerToTheAsk(chat);
    const ownChatId = await answer.getAttribute('data-chat-id');
    expect(ownChatId).toMatch(/^0Mw[0-9A-Za-z]{15}$/);
    expect(await answer.getAttribute('data-chat-record-id')).toBe(ownChatId);
    expect(await answer.getAttribute('data-verified')).toBe('true');
    expect(await answer.getAttribute('data-user-id')).toBe(ada.id);
    await expectText(answer, /I can only act for this chat .* still Ada/);
    const note = answer.getByTestId('action-note');
    expect(await note.getAttribute('data-outcome')).toBe('bound');
    await expectText(note, /the agent cannot put another id into a bound input/);
    expect(await answer.textContent()).not.toContain('Grace');
    await expectText(page.getByTestId('exchange-input'), /bound to the RoutableId context variable: this chat/);
    await expectText(page.getByTestId('exchange'), new RegExp(`"userId": "${ada.id}"`));
    await screenshot('12-other-chat-id-bound');
  });

  test("asking the agent for another chat's id as a guest, input bound: the visitor stays unverified", async () => {
    await open();
    await askForAnotherChat('context-variable', 'Active');
    const chat = await startEnhancedChat(false);
    const answer = await answerToTheAsk(chat);
    expect(await answer.getAttribute('data-chat-record-id')).toBe(await answer.getAttribute('data-chat-id'));
    expect(await answer.getAttribute('data-verified')).toBe('false');
    expect(await answer.getAttribute('data-reason')).toBe('no_token');
    expect(await answer.getAttribute('data-user-id')).toBeNull();
    expect(await answer.textContent()).not.toMatch(/Ada|Grace/);
    await expectText(page.getByTestId('no-call'), /No call: MessagingSession 0Mw\w+ carries no token/);
  });

  test("asking the agent for another chat's id, input left to the agent: the page shows the misconfiguration", async () => {
    await open({ user: 'Ada Lovelace' });
    await askForAnotherChat('agent', 'Active');
    const chat = await startEnhancedChat(true);
    await expectText(chat.locator('li[data-from="system"]'), /left to the agent \(not recommended\)/);
    const answer = await answerToTheAsk(chat);
    const ownChatId = await answer.getAttribute('data-chat-id');
    const usedChatId = await answer.getAttribute('data-chat-record-id');
    expect(usedChatId).toMatch(/^0Mw[0-9A-Za-z]{15}$/);
    expect(usedChatId).not.toBe(ownChatId);
    // What the docs warn about: the other customer's chat, and so the other customer, comes back verified.
    expect(await answer.getAttribute('data-verified')).toBe('true');
    expect(await answer.getAttribute('data-user-id')).toBe(grace.id);
    expect(await answer.getAttribute('data-binding')).toBe('same-session');
    await expectText(answer, /verified as Grace Hopper/);
    const note = answer.getByTestId('action-note');
    expect(await note.getAttribute('data-outcome')).toBe('misconfigured');
    await expectText(note, /Misconfiguration: .*came back verified.*install guide .*org doctor.*action_inputs_unbound/);
    await expectText(page.getByTestId('exchange-input'), /filled by the agent from the conversation: another chat/);
    await screenshot('13-other-chat-id-agent-filled');
  });

  test('an Ended chat asked for by id is refused: chat_not_active, without a call to the service', async () => {
    await open({ user: 'Ada Lovelace' });
    await askForAnotherChat('agent', 'Ended');
    const chat = await startEnhancedChat(true);
    await expectText(chat.locator('li[data-from="system"]'), /verified and since Ended/);
    const answer = await answerToTheAsk(chat);
    const endedChatId = await answer.getAttribute('data-chat-record-id');
    expect(endedChatId).not.toBe(await answer.getAttribute('data-chat-id'));
    expect(await answer.getAttribute('data-verified')).toBe('false');
    expect(await answer.getAttribute('data-reason')).toBe('chat_not_active');
    await expectText(answer, /The chat is Ended, not Active/);
    // The exchange panel shows this turn, and that the bot made no verify call for it.
    const exchange = page.getByTestId('exchange');
    await expectText(
      exchange.getByTestId('no-call'),
      `No call: MessagingSession ${endedChatId} is Ended, not Active, so the bot answered chat_not_active itself.`,
    );
    expect(await exchange.getAttribute('data-call')).toBe('none');
    expect(await exchange.textContent()).not.toContain('POST /v1/verify');
    await screenshot('14-ended-chat-refused');
  });

  test('end chat, then write again: a new session of the same conversation verifies as same-session', async () => {
    await open({ user: 'Ada Lovelace' });
    const chat = await startEnhancedChat(true);
    const greeting = botMessages(chat).first();
    await expectText(greeting, 'Hi Ada!');
    const firstSession = await greeting.getAttribute('data-chat-id');
    const conversation = await greeting.getAttribute('data-conversation-id');
    expect(conversation).toMatch(/^0dw[0-9A-Za-z]{15}$/);
    expect(await greeting.getAttribute('data-session-key')).toBe(conversation);

    await chat.getByRole('button', { name: 'End chat' }).click();
    await expectText(chat.locator('.chat-window__header .badge').first(), 'session ended');
    await expectText(chat.locator('li[data-from="system"]'), `MessagingSession ${firstSession} is now Ended`);

    await chat.getByRole('button', { name: 'Write again' }).click();
    const welcome = botMessages(chat).nth(1);
    await expectText(welcome, /Welcome back, Ada! .*binding same-session/);
    const secondSession = await welcome.getAttribute('data-chat-id');
    expect(secondSession).toMatch(/^0Mw[0-9A-Za-z]{15}$/);
    expect(secondSession).not.toBe(firstSession);
    expect(await welcome.getAttribute('data-conversation-id')).toBe(conversation);
    expect(await welcome.getAttribute('data-verified')).toBe('true');
    expect(await welcome.getAttribute('data-binding')).toBe('same-session');
    expect(await welcome.getAttribute('data-user-id')).toBe(ada.id);
    await expectText(welcome.getByTestId('action-note'), `the Apex took the one on ${firstSession}`);
    // Both sessions are listed under the one conversation: the first Ended, the new one Active.
    const sessions = chat.getByTestId('chat-sessions');
    expect(await sessions.locator(`[data-session="${firstSession}"]`).getAttribute('data-status')).toBe('Ended');
    expect(await sessions.locator(`[data-session="${secondSession}"]`).getAttribute('data-status')).toBe('Active');
    await expectText(page.getByTestId('exchange'), new RegExp(`"sessionKey": "${conversation}"`));

    // The bot keeps serving the same verified user in the new session.
    await chat.getByLabel('Message for chat 1').fill('Show my open cases');
    await chat.getByRole('button', { name: 'Send' }).click();
    const next = botMessages(chat).nth(2);
    await expectText(next, /still Ada \(binding same-session\)/);
    expect(await next.getAttribute('data-chat-id')).toBe(secondSession);
    await screenshot('15-follow-up-session');
  });

  test('attacker switches that contradict each other turn each other off', async () => {
    await open({ user: 'Ada Lovelace' });
    const box = (name: string) => page.locator(`input[name="${name}"]`);
    await attack('edit-token');
    await attack('foreign-key');
    expect(await box('edit-token').isChecked()).toBe(false);
    await attack('change-user');
    await attack('other-chat');
    for (const name of ['change-user', 'edit-token', 'foreign-key']) expect(await box(name).isChecked()).toBe(false);
    await attack('foreign-key');
    expect(await box('other-chat').isChecked()).toBe(false);
    // The admin setup is one choice: bound (the default) or left to the agent.
    const input = page.locator('input[name="chat-record-id-input"]:checked');
    expect(await input.getAttribute('value')).toBe('context-variable');
    await page.locator('input[name="chat-record-id-input"][value="agent"]').check();
    expect(await page.locator('input[name="chat-record-id-input"]:checked').count()).toBe(1);
  });

  test("a token held past its expiry is refused: expired; the clock jump is this browser session's only", async () => {
    await open({ user: 'Ada Lovelace' });
    const status = page.locator('c-prechat-guard-enhanced-chat [role="status"]');
    await expectText(status, "Chat will know you're signed in");
    await page.getByRole('button', { name: /Wait past expiry/ }).click();
    await expectText(page.getByTestId('clock'), '+6 min');
    const chat = await startEnhancedChat(true);
    await expectVerdict(chat, 'expired', /has expired/);
    await screenshot('10-expired');

    // Another visitor, in another browser, at the same moment: their clock is now and their chat verifies.
    const other = await browser.newContext({ viewport: { width: 1280, height: 960 } });
    try {
      const login = await other.request.post(`${stack.url}/demo/api/login`, { data: { userId: grace.id } });
      expect(login.status()).toBe(200);
      const otherPage = await other.newPage();
      await otherPage.goto(stack.url);
      await expectText(otherPage.getByTestId('clock'), 'Org and service clocks: now');
      await expectText(
        otherPage.locator('c-prechat-guard-enhanced-chat [role="status"]'),
        "Chat will know you're signed in",
      );
      await otherPage.getByRole('button', { name: 'Chat with us' }).click();
      await otherPage.getByRole('button', { name: 'Start conversation' }).click();
      const greeting = otherPage.locator('section[data-chat="1"] li[data-from="bot"]').first();
      await expectText(greeting, "Hi Grace! I've verified");
    } finally {
      await other.close();
    }
  });

  test('Log in is the primary button only while signed out', async () => {
    await open();
    expect(await page.getByRole('button', { name: 'Log in' }).getAttribute('class')).toContain('slds-button_brand');
    await open({ user: 'Ada Lovelace', viaForm: true });
    const buttons = page.locator('article[aria-label="1 · Experience Cloud site"] button');
    for (const button of await buttons.all()) {
      expect(`${await button.textContent()}: ${await button.getAttribute('class')}`).not.toMatch(
        /^Log in: .*slds-button_brand/,
      );
    }
    expect(await page.locator('article[aria-label="1 · Experience Cloud site"] .slds-button_brand').count()).toBe(0);
  });

  test('logging out mid-chat says that the chat ended instead of removing it without a word', async () => {
    await open({ user: 'Ada Lovelace' });
    const chat = await startEnhancedChat(true);
    await expectText(botMessages(chat).first(), 'Hi Ada!');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Log out' }).click()]);
    await expectText(page.getByTestId('site-user'), 'Browsing as a guest');
    await expectText(page.getByTestId('chat-notice'), /You logged out while chatting, so that chat ended/);
    await screenshot('16-logged-out-mid-chat');
    // Said once: the next page load is quiet again.
    await page.reload();
    await page.getByTestId('site-user').waitFor();
    expect(await page.getByTestId('chat-notice').count()).toBe(0);
  });

  test('a guest chat has no "Simulate token expiry" button (a signed-in chat has, see the renewal test)', async () => {
    await open();
    const chat = await startEnhancedChat(false);
    await expectVerdict(chat, 'no_token', /visitor is not logged in/);
    expect(await chat.getByRole('button', { name: 'Simulate token expiry' }).count()).toBe(0);
  });

  /** Words (letters only) whose letters sit on more than one line: a break inside the word. */
  async function wordsBrokenAcrossLines(selector: string): Promise<string[]> {
    return page.evaluate((css) => {
      const broken: string[] = [];
      for (const element of Array.from(document.querySelectorAll(css))) {
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const text = node.textContent ?? '';
          for (const match of text.matchAll(/[A-Za-z]{2,20}/g)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const tops = new Set(Array.from(range.getClientRects(), (rect) => Math.round(rect.top)));
            if (tops.size > 1) broken.push(match[0]);
          }
        }
      }
      return broken;
    }, selector);
  }

  test('at 390 px: no sideways scrolling, the header is whole, and refusal text never breaks inside a word', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await open({ user: 'Ada Lovelace' });
    await attack('foreign-key');
    const chat = await startEnhancedChat(true);
    await expectVerdict(chat, 'unknown_key', /does not trust/);
    await screenshot('17-phone-390x844');
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }));
    const wide = await page.evaluate(() =>
      Array.from(document.querySelectorAll('body *'))
        .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
        .slice(0, 12)
        .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`),
    );
    expect(wide).toEqual([]);
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    const header = (await page.locator('.site-header').boundingBox())!;
    expect(header.x).toBeGreaterThanOrEqual(0);
    expect(header.x + header.width).toBeLessThanOrEqual(clientWidth);
    for (const part of ['.site-header h1', '.site-header p']) {
      const clipped = await page.locator(part).evaluate((element) => element.scrollWidth > element.clientWidth);
      expect(`${part} clipped: ${clipped}`).toBe(`${part} clipped: false`);
      const box = (await page.locator(part).boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(clientWidth);
    }
    expect(await wordsBrokenAcrossLines('.verdict, .exchange pre, .msg, [role="alert"]')).toEqual([]);
  });
});
