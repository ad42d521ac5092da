// A page object for Fairground: every interaction goes through data-testid hooks.
export class App {
  constructor(page) { this.page = page; }
  byTestId(id) { return this.page.locator(`[data-testid="${id}"]`); }

  async open(url) {
    await this.page.goto(url);
    await this.byTestId('privacy-note').waitFor();
  }

  async goto(step) {
    await this.byTestId(`step-${step}`).click();
  }

  async loadBundled(id = 'adult') {
    await this.goto('data');
    await this.byTestId(`load-${id}`).click();
    await this.page.waitForFunction(() => document.querySelector('[data-testid="step-model"]:not([disabled])') || document.querySelector('[data-testid="error"]'));
    await this.waitIdle();
  }

  async upload(filePath) {
    await this.goto('data');
    await this.byTestId('file-input').setInputFiles(filePath);
  }

  async uploadAndWait(filePath) {
    await this.upload(filePath);
    await this.page.waitForFunction(() => document.querySelector('[data-testid="step-model"]:not([disabled])') || document.querySelector('[data-testid="error"]'));
    await this.waitIdle();
  }

  async chooseRoles({ target, positive, sensitive, model }) {
    await this.goto('model');
    if (target) await this.byTestId('target').selectOption(target);
    if (positive) await this.byTestId('positive').selectOption(positive);
    if (sensitive !== undefined) await this.byTestId('sensitive').selectOption(sensitive);
    if (model) await this.byTestId('model').selectOption(model);
  }

  async train() {
    await this.goto('model');
    await this.byTestId('train').click();
    await this.page.waitForFunction(() => !document.querySelector('[data-testid="busy"]')
      && (document.querySelector('[data-testid="results"]') || document.querySelector('[data-testid="error"]')));
  }

  async waitIdle() {
    await this.page.waitForFunction(() => !document.querySelector('[data-testid="busy"]'));
  }

  async text(id) { return (await this.byTestId(id).first().textContent()).trim(); }
  async errorText() { return (await this.byTestId('error').count()) ? this.text('error') : null; }
}
