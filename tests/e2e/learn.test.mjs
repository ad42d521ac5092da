// The lessons and the quiz: every lesson opens and a question of each can be answered; a lesson's
// experiment sets up the playground and a live question is computed from it; progress is stored
// only with consent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, serveStatic, screenshot, watchErrors, recordRequests, privacyViolations } from './lib/harness.mjs';
import { App } from './lib/app.mjs';

const LESSONS = ['bias', 'definitions', 'impossibility', 'choosing', 'explainability',
  'privacy-attacks', 'differential-privacy', 'federated', 'robustness', 'governance'];

let server, context;
before(async () => { server = await serveStatic(); context = await launch(); });
after(async () => { await context?.close(); server?.close(); });

async function answerFirstQuestion(page) {
  const first = page.locator('[data-testid="lesson"] [data-testid="question"]').filter({ has: page.locator('[data-testid="choice"]') }).first();
  const id = await first.getAttribute('data-question');
  const q = page.locator(`[data-question="${id}"]`);
  await q.locator('[data-testid="choice"]').first().click();
  await q.locator('[data-testid="verdict"]').waitFor();
  return (await q.locator('[data-testid="verdict"]').textContent()).trim();
}

test('every lesson opens, and one of its questions is answered and explained', async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  await app.open(server.url);
  await app.goto('learn');
  for (const [i, id] of LESSONS.entries()) {
    await app.byTestId(`lesson-${id}`).click();
    const title = await app.text('lesson');
    assert.ok(title.startsWith(`${i + 1}. `), `${id}: ${title.slice(0, 40)}`);
    assert.ok(await page.locator('.interview li').count() >= 3, `${id}: interview bullets`);
    const verdict = await answerFirstQuestion(page);
    assert.match(verdict, /^(Correct\.|Not quite\.)/, `${id}: ${verdict}`);
    if (i === 0) await screenshot(page, 'learn-lesson');
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test("a lesson's experiment trains a model and live questions are computed from it", async () => {
  const page = await context.newPage();
  const recorder = recordRequests(context);
  const app = new App(page);
  await app.open(server.url);
  await app.goto('learn');
  await app.byTestId('lesson-definitions').click();
  // Before any model, live questions say what they need.
  assert.match(await page.locator('[data-testid="lesson"]').textContent(), /train one in the playground first/);
  await page.locator('[data-testid^="try-definitions-"]').first().click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="busy"]') && document.querySelector('[data-testid="results"]'));
  assert.match(await app.text('dataset-summary'), /Adult/);
  await app.goto('learn');
  await app.byTestId('lesson-definitions').click();
  assert.doesNotMatch(await page.locator('[data-testid="lesson"]').textContent(), /train one in the playground first/);
  // "Which group has the lowest selection rate?": its options are the model's groups, and the
  // right one is the group the fairness table shows with the lower rate.
  const live = page.locator('[data-question="def-live-lowest-selection"]');
  const options = await live.locator('[data-testid="choice"]').allTextContents();
  assert.deepEqual([...options].sort(), ['Female', 'Male']);
  await live.locator('[data-testid="choice"]', { hasText: 'Female' }).click();
  assert.match(await live.locator('[data-testid="verdict"]').textContent(), /^Correct\./);
  // "The demographic parity difference": a number computed from the same rates.
  const dpd = page.locator('[data-question="def-live-dpd"]');
  await dpd.locator('[data-testid="number-answer"]').fill('0.19');
  await dpd.locator('[data-testid="check-answer"]').click();
  assert.match(await dpd.locator('[data-testid="verdict"]').textContent(), /Correct\.|Not quite\. The answer is: 0\.\d+/);
  await screenshot(page, 'learn-live');
  assert.deepEqual(privacyViolations(recorder.log, new URL(server.url).origin), []);
  await page.close();
});

test('quiz progress is stored in the browser only after the learner agrees', async () => {
  const page = await context.newPage();
  const app = new App(page);
  await app.open(server.url);
  await app.goto('quiz');
  assert.equal(await page.locator('[data-testid="quiz"] [data-testid="question"]').count(), 10);
  const id = await page.locator('[data-testid="quiz"] [data-testid="question"]').filter({ has: page.locator('[data-testid="choice"]') }).first().getAttribute('data-question');
  const q = page.locator(`[data-testid="quiz"] [data-question="${id}"]`);
  await q.locator('[data-testid="choice"]').first().click();
  await q.locator('[data-testid="verdict"]').waitFor();
  assert.deepEqual(await page.evaluate(() => Object.keys(localStorage)), [], 'nothing stored without consent');
  await page.locator('[data-testid="quiz"] [data-testid="remember-progress"]').check();
  const stored = await page.evaluate(() => localStorage.getItem('fairground.quiz-progress'));
  assert.match(stored, /"answered":\["[^"]+"\]/);
  await page.reload();
  await app.byTestId('privacy-note').waitFor();
  await app.goto('quiz');
  assert.match(await app.text('quiz-score'), /of 1 answered/);
  await screenshot(page, 'quiz');
  // Turning it off erases what was stored.
  await page.locator('[data-testid="quiz"] [data-testid="remember-progress"]').uncheck();
  assert.deepEqual(await page.evaluate(() => Object.keys(localStorage)), []);
  await page.close();
});

test('the impossibility slider and the tree-depth trade-off compute live', async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  await app.open(server.url);
  await app.goto('learn');
  await app.byTestId('lesson-impossibility').click();
  const a = await app.text('fpr-a');
  const b = await app.text('fpr-b');
  assert.notEqual(a, b, 'different base rates force different FPRs');
  // Equal base rates make them equal: the first exception.
  const target = await page.locator('[data-testid="base-rate-a"]').first().inputValue();
  await page.locator('[data-testid="base-rate-b"]').first().fill(target);
  assert.equal(await app.text('fpr-a'), await app.text('fpr-b'));
  // The identity by hand: p/(1-p)·(1-PPV)/PPV·(1-FNR) with PPV 0.7 and FNR 0.3.
  const p = Number(target);
  assert.equal(await app.text('fpr-a'), (p / (1 - p) * (0.3 / 0.7) * 0.7).toFixed(3));

  await app.loadBundled('german');
  await app.goto('learn');
  await app.byTestId('lesson-explainability').click();
  await page.locator('[data-testid="run-tree-depths"]').click();
  await page.waitForFunction(() => /depth 12: \d+ leaves/.test(document.querySelector('[data-testid="tree-depths"]')?.textContent ?? ''));
  const text = await app.text('tree-depths');
  const leaves = [...text.matchAll(/depth (\d+): (\d+) leaves/g)].map((m) => Number(m[2]));
  assert.equal(leaves.length, 12);
  assert.ok(leaves[11] > leaves[0], `deeper trees have more leaves: ${leaves}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the privacy lessons run their experiments on a trained model', async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  await app.open(server.url);
  await app.goto('learn');
  await app.byTestId('lesson-privacy-attacks').click();
  // No model yet: the panel offers to set one up.
  await page.locator('[data-testid="privacy-setup-membership"]').first().click();
  await page.waitForFunction(() => document.querySelector('[data-testid="results"]') && !document.querySelector('[data-testid="busy"]'));
  await app.goto('learn');
  await app.byTestId('lesson-privacy-attacks').click();
  await page.locator('[data-testid="run-membership"]').first().click();
  await app.waitIdle();
  const auc = Number(await app.text('attack-auc'));
  assert.ok(auc > 0.5 && auc <= 1, `an overfit tree leaks membership: AUC ${auc}`);
  await app.byTestId('membership-roc').first().waitFor();

  await app.byTestId('lesson-differential-privacy').click();
  const dp = page.locator('[data-testid="run-dp-sgd"]').first();
  if (await dp.count()) {
    // Fewer steps: a smaller ε for the same noise.
    await page.locator('[data-testid="dp-steps"]').first().fill('100');
    assert.equal((await page.locator('[data-testid="dp-steps"] + output').first().textContent()).trim(), '100');
    await dp.click();
    await app.waitIdle();
    assert.equal(await page.locator('[data-testid="privacy-dp-sgd"] [data-testid="privacy-result"] tbody tr').first().count(), 1);
    assert.match(await page.locator('[data-testid="privacy-dp-sgd"]').first().textContent(), /no guarantee/);
    await page.locator('[data-testid="dp-tradeoff"]').first().waitFor();
    await screenshot(page, 'learn-dp-sgd');
  }
  await app.byTestId('lesson-federated').click();
  await page.locator('[data-testid^="run-"]').first().click();
  await app.waitIdle();
  assert.match(await page.locator('[data-testid="privacy-result"]').first().textContent(), /federated|masks cancel/);
  await screenshot(page, 'learn-privacy');
  assert.deepEqual(errors, []);
  await page.close();
});

test("every lesson's experiment runs and shows a live number", async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  const idle = () => page.waitForFunction(() => !document.querySelector('[data-testid="busy"]'));
  await app.open(server.url);
  const lesson = async (id) => { await app.goto('learn'); await app.byTestId(`lesson-${id}`).click(); };

  // 1. Sources of bias: a synthetic preset is generated and trained; the audit shows its groups.
  await lesson('bias');
  await page.locator('[data-testid^="try-bias-"]').first().click();
  await page.waitForFunction(() => document.querySelector('[data-testid="results"]') && !document.querySelector('[data-testid="busy"]'));
  assert.match(await app.text('test-accuracy'), /^0\.\d{3}$/);
  assert.equal(await page.locator('[data-testid="group-row"]').count(), 2);
  // 2. Definitions: a live number from the audit.
  await lesson('definitions');
  const dpd = page.locator('[data-question="def-live-dpd"]');
  await dpd.locator('[data-testid="number-answer"]').fill('0');
  await dpd.locator('[data-testid="check-answer"]').click();
  assert.match(await dpd.locator('[data-testid="verdict"]').textContent(), /Correct\.|The answer is: \d/);
  // 3. Impossibility: the identity's FPRs.
  await lesson('impossibility');
  assert.match(await app.text('fpr-a'), /^\d\.\d{3}$/);
  // 4. Choosing a criterion: a scenario card opens the mitigation with its constraint.
  await lesson('choosing');
  await page.locator('[data-testid^="try-choosing-"]').first().click();
  await idle();
  await app.byTestId('mitigation-result').waitFor();
  assert.match(await app.text('mitigation-result'), /\d\.\d{3}/);
  // 5. Explainability: SHAP and LIME on a row, then the fewest edits that flip it.
  await lesson('explainability');
  await page.locator('[data-testid^="try-explainability-"]').first().click();
  await idle();
  await lesson('explainability');
  const flip = page.locator('[data-question="xai-live-fewest-edits"]');
  const search = flip.locator('[data-testid="search-flips"]');
  if (await search.count()) {
    await search.click();
    await idle();
  }
  await lesson('explainability');
  const options = await flip.locator('[data-testid="choice"]').allTextContents();
  assert.deepEqual(options, ['1 feature', '2 features', 'No change of one or two features flips it']);
  await flip.locator('[data-testid="choice"]').first().click();
  assert.match(await flip.locator('[data-testid="verdict"]').textContent(), /(Correct\.|Not quite\.)[\s\S]*(flips it|No change of one or two)/);
  await screenshot(page, 'learn-fewest-edits');
  // 6–8 run in the privacy test above; 9. Robustness: adversarial examples on this model.
  await lesson('robustness');
  await page.locator('[data-testid="run-adversarial"]').first().click();
  await idle();
  assert.match(await page.locator('[data-testid="privacy-adversarial"]').first().textContent(), /Clean accuracy[\s\S]*0\.\d{3}/);
  // 10. Governance: the footprint of what was trained.
  await lesson('governance');
  await page.locator('[data-testid="run-footprint"]').first().click();
  await idle();
  assert.match(await page.locator('[data-testid="privacy-footprint"]').first().textContent(), /\d\.\d+e\d+ floating-point operations/);
  await screenshot(page, 'learn-governance');
  assert.deepEqual(errors, []);
  await page.close();
});

// Issue 23 §2: each control a lesson's text names (src/lessons/controls.rs) drives its
// experiment, and a live number appears where the registry says.
test('every named control runs its lesson experiment and a live number appears', async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  const idle = () => page.waitForFunction(() => !document.querySelector('[data-testid="busy"]'));
  const first = (id) => page.locator(`[data-testid="${id}"]`).first();
  const lesson = async (id) => { await app.goto('learn'); await app.byTestId(`lesson-${id}`).click(); };
  const number = /\d\.\d{3}/;
  await app.open(server.url);

  // A model first, through a lesson's own "try it" control.
  await lesson('definitions');
  await page.locator('[data-testid="try-experiment"] button').first().click();
  await page.waitForFunction(() => document.querySelector('[data-testid="results"]') && !document.querySelector('[data-testid="busy"]'));

  // 3. The FPR slider: share FPR and FNR, and PPV gives way.
  await lesson('impossibility');
  await first('shared-fpr').fill('0.2');
  const [ppvA, ppvB] = [await app.text('ppv-a'), await app.text('ppv-b')];
  assert.match(ppvA, /^\d\.\d{3}$/);
  assert.notEqual(ppvA, ppvB, 'different base rates, different PPVs');

  // 5. LIME over the lesson's five seeds.
  await lesson('explainability');
  await first('run-lime-seeds').click();
  await idle();
  assert.match(await app.text('lime-seeds-result'), /^5 runs: top-feature sets agree with Jaccard \d\.\d{2}/);

  // 7. The Laplace ε slider: the two curves redraw, and the released counts come from the worker.
  await lesson('differential-privacy');
  await first('laplace-epsilon').fill('2');
  assert.match(await app.text('laplace-ratio'), /e\^ε = 7\.389/);
  assert.equal(await page.locator('[data-testid="laplace-curves"] polyline').first().count(), 1);
  await first('run-laplace').click();
  await idle();
  assert.match(await page.locator('[data-testid="privacy-laplace"]').first().textContent(), /at ε = 2: mean \d/);

  // 8. FedAvg split by group: per-group accuracy, federated against central.
  await lesson('federated');
  await first('fedavg-non-iid').check();
  await first('run-fedavg').click();
  await idle();
  assert.match(await app.text('fedavg-groups'), number);
  assert.match(await page.locator('[data-testid="privacy-fedavg"]').first().textContent(), /non-IID/);

  // 9. FGSM ε and the row picker, with the L∞ check.
  await lesson('robustness');
  await first('fgsm-epsilon').fill('0.3');
  await first('adversarial-row').fill('5');
  await first('adversarial-row').dispatchEvent('change');
  await first('run-adversarial').click();
  await idle();
  const check = await app.text('linf-check');
  assert.match(check, /^Test row 5: log-odds -?\d\.\d{3}\. Smallest flip: L2 \d\.\d{4}, L∞ \d\.\d{4}/);
  assert.match(check, /the decision flips; 99 % of that step does not\)\. FGSM at ε = 0\.3/);

  // 10. The drift panel: shift the numeric features and see which columns are flagged.
  await lesson('governance');
  await first('drift-shift').fill('1');
  await first('run-drift').click();
  await idle();
  assert.match(await app.text('drift-result'), number);
  assert.match(await page.locator('[data-testid="privacy-drift"]').first().textContent(), /moved by 1 training standard deviations, against the training rows: [1-9]\d* of \d+ columns flagged/);
  // Each group's rates before and after the shift, computed in the worker.
  const groups = page.locator('[data-testid="drift-groups"] tbody tr');
  assert.equal(await groups.count(), 2);
  assert.match(await groups.first().textContent(), /\d\.\d{3} → \d\.\d{3}/);
  await screenshot(page, 'learn-controls');
  assert.deepEqual(errors, []);
  await page.close();
});

// Issue 23 §3: one story through lessons 1-4, each part starting from the part before.
test("the lender's story carries each lesson's result into the next", async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  const lesson = async (id) => { await app.goto('learn'); await app.byTestId(`lesson-${id}`).click(); };
  const rows = () => page.locator('[data-testid="story-rates"] tbody tr').allTextContents();
  await app.open(server.url);

  // Part 1: one threshold for everyone.
  await lesson('bias');
  assert.match(await app.text('story-carried'), /Nothing kept in an earlier part yet: starting at 50\./);
  assert.equal(await page.locator('[data-testid="story"] circle').count(), 100, 'one dot per applicant');
  await app.byTestId('story-threshold').fill('55');
  const [a1, b1] = await rows();
  assert.match(await page.locator('[data-testid="story-rates"] caption').textContent(), /Group A at 55, Group B at 55/);
  assert.match(a1, /^Group A0\.6000\.5800\.833/, 'base rate, selection rate, TPR');
  assert.match(b1, /^Group B0\.4000\.1800\.450/);
  assert.match(await app.text('story-profit'), /^Lender's profit: €11,200\.$/);
  await app.byTestId('story-keep').click();
  await screenshot(page, 'learn-story-1');

  // Part 2 starts from it and reads the four criteria off the dots.
  await lesson('definitions');
  assert.match(await app.text('story-carried'), /kept in part 1: 55\./);
  assert.equal(await app.byTestId('story-threshold').inputValue(), '55');
  assert.equal(await page.locator('[data-testid="story-criteria"] li').count(), 4);
  await app.byTestId('story-keep').click();

  // Part 3: a threshold per group; the PPV = 1 exception makes all three gaps 0.
  await lesson('impossibility');
  assert.match(await app.text('story-carried'), /kept in part 2: Group A at 55, Group B at 55\./);
  await app.byTestId('story-threshold-a').fill('67');
  await app.byTestId('story-threshold-b').fill('61');
  const criteria = await page.locator('[data-testid="story-criteria"] li').allTextContents();
  for (const rate of ['equal opportunity', 'equal FPR', 'predictive parity']) {
    assert.ok(criteria.some((c) => c.includes(rate) && c.includes('holds (gap 0.000)')), `${rate}: ${criteria}`);
  }
  await app.byTestId('story-keep').click();

  // Part 4: choose a criterion and read its price against part 1.
  await lesson('choosing');
  assert.match(await app.text('story-carried'), /kept in part 3: Group A at 67, Group B at 61\./);
  await app.byTestId('story-policy-equal-opportunity').click();
  assert.equal(await app.byTestId('story-policy-equal-opportunity').getAttribute('aria-pressed'), 'true');
  assert.match(await app.text('story-profit'),
    /^Equal opportunity: Lender's profit: €11,600\. Against part 1's kept threshold \(55, 55\): \+€400 in profit; good borrowers refused 5 → 5 in Group A, 11 → 4 in Group B\.$/);
  await screenshot(page, 'learn-story-4');
  assert.deepEqual(errors, []);
  await page.close();
});

// Issue 23 §4: the mock interview's timer is optional, pausable and announced; no timing is
// asserted (the state machine is tested natively with a made-up clock).
test('the mock interview timer is off by default, pausable and announced', async () => {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const app = new App(page);
  await app.open(server.url);
  await app.goto('quiz');
  assert.equal(await page.locator('[data-testid="answer-timer"]').count(), 0, 'off by default');
  await app.byTestId('interview-timer-on').check();
  assert.match(await app.text('timer-display'), /^3:00$/);
  assert.equal(await app.byTestId('timer-display').getAttribute('role'), 'timer');
  assert.equal(await app.byTestId('timer-announce').getAttribute('aria-live'), 'polite');
  await app.byTestId('timer-start').click();
  assert.equal(await app.text('timer-start'), 'Pause');
  assert.match(await app.text('timer-announce'), /^Timer running: \d:\d\d left\.$/);
  await app.byTestId('timer-start').click();
  assert.equal(await app.text('timer-start'), 'Resume');
  assert.match(await app.text('timer-announce'), /^Timer paused with \d:\d\d left\.$/);
  await app.byTestId('open-answer').fill('Proxies carry the group; measure with it, mitigate, monitor.');
  await app.byTestId('keep-sheet').check();
  await app.byTestId('open-reveal').click();
  const sheet = JSON.parse(await page.evaluate(() => localStorage.getItem('fairground.interview-sheet')));
  const entry = Object.values(sheet.prompts)[0];
  assert.equal(typeof entry.seconds, 'number', 'the timed answer records its seconds');
  await app.byTestId('timer-reset').click();
  assert.match(await app.text('timer-display'), /^3:00$/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('without lessons.json the page still starts, Learn says the text is missing, and the playground works', async () => {
  // A fresh browser, so no service worker answers for the file before the route below does.
  const fresh = await launch();
  const page = await fresh.newPage();
  await page.route('**/lessons.json', (route) => route.fulfill({ status: 404, body: 'not here' }));
  const app = new App(page);
  await app.open(server.url);
  await app.goto('learn');
  await app.byTestId('lessons-missing').waitFor();
  assert.match(await app.text('lessons-missing'), /could not be loaded/);
  assert.equal(await page.locator('.lesson-list button').count(), 0);
  await app.loadBundled('german');
  assert.equal(await page.locator('[data-testid="step-model"]:not([disabled])').count(), 1, 'the data loaded');
  assert.equal(await page.locator('[data-testid="error"]').count(), 0);
  await fresh.close();
});
