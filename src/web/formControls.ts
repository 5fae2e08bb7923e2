// The form's controls, made from the option table: one label per page option in its fieldset, with a
// two-way slider where the table gives one; and the page's view of those options (live sizes, defaults).
import { defaultText, OPTIONS, type OptionSpec } from '../model/optionTable.js';

/** The options the page shows, in table order. */
export const FIELDS = OPTIONS.filter((o) => 'page' in o) as readonly (OptionSpec & Required<Pick<OptionSpec, 'page' | 'label' | 'group'>>)[];
export type Field = (typeof FIELDS)[number];

/** One label per field, made from its table entry, in its fieldset of `form`. */
export function buildForm(form: HTMLFormElement): void {
  for (const f of FIELDS) {
    const label = document.createElement('label');
    label.append(`${f.label} `);
    let control: HTMLInputElement | HTMLSelectElement;
    if (f.page === 'select') {
      control = document.createElement('select');
      for (const choice of f.choices!) control.append(Object.assign(document.createElement('option'), { value: choice, textContent: choice }));
    } else {
      control = Object.assign(document.createElement('input'), { type: f.page === 'checkbox' ? 'checkbox' : 'text' });
      if (f.page === 'number') control.inputMode = 'numeric';
      if (f.page === 'text') control.placeholder = defaultText(f);
    }
    control.name = f.flag;
    label.append(control);
    if (f.slider) label.append(sliderFor(f, control as HTMLInputElement));
    if (f.page !== 'checkbox') {
      const error = Object.assign(document.createElement('span'), { className: 'error' });
      error.dataset.for = f.flag;
      label.append(error);
    }
    const fieldset = form.querySelector(`fieldset[data-group="${f.group}"]`)!;
    fieldset.insertBefore(label, fieldset.querySelector('ul'));
  }
}

/** A range input beside a field, two-way: moving it types the value into the field; typing moves it. */
function sliderFor(f: Field, input: HTMLInputElement): HTMLInputElement {
  const spec = f.slider!;
  const slider = Object.assign(document.createElement('input'), { type: 'range', min: String(spec.min), max: String(spec.max), step: String(spec.powersOfTwo ? 1 : spec.step ?? 1) });
  slider.className = 'slider';
  slider.setAttribute('aria-label', `${f.flag} slider`);
  const toValue = (position: number) => (spec.powersOfTwo ? String(2 ** position) : String(position));
  const toPosition = (text: string): number | undefined => {
    const v = Number(text.trim() === '' ? (f.default ?? NaN) : text);
    if (!Number.isFinite(v) || v <= 0 && spec.powersOfTwo) return undefined;
    return spec.powersOfTwo ? Math.round(Math.log2(v)) : v;
  };
  slider.addEventListener('input', (event) => {
    event.stopPropagation();
    input.value = toValue(Number(slider.value));
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  slider.addEventListener('change', (event) => event.stopPropagation());
  const follow = () => {
    const position = toPosition(input.value);
    if (position !== undefined) slider.value = String(position);
  };
  input.addEventListener('input', follow);
  followers.push(follow);
  return slider;
}
/** What re-reads each field after the code sets its value (the URL, the original's button, full size). */
export const followers: (() => void)[] = [];
/** Brings every slider and the pattern editor to the fields' values, after code set them. */
export const syncControls = () => followers.forEach((f) => f());
