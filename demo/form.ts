// The settings form: read, written, checked field by field (each error next to its field), locked
// while training, and the fields that do not apply under the others greyed out.
import { $ } from './common.ts';
import { type Config, type Errors, type Field, type Raw, FIELDS, MAX_DEPTH, applies, parseConfig } from './config.ts';

/** the form's values, as text */
export function rawFromForm(): Raw {
  return Object.fromEntries(FIELDS.map((f) => [f, $<HTMLInputElement>(f).value])) as Raw;
}

/** Writes values into the form (a select given a value it has no option for shows nothing). */
export function writeForm(raw: Partial<Raw>): void {
  for (const [f, v] of Object.entries(raw) as [Field, string][]) $<HTMLInputElement>(f).value = v;
  $<HTMLInputElement>('depth').value = String(raw.hidden?.split(',').filter((s) => s.trim()).length ?? depthNow());
  updateApplicable();
}

const depthNow = () =>
  $<HTMLInputElement>('hidden')
    .value.split(',')
    .filter((s) => s.trim()).length;

/** The error line of one field, made on first use, tied to it by aria-describedby. */
function errorLine(id: string): HTMLElement {
  const have = document.getElementById(`${id}-error`);
  if (have) return have;
  const field = $(id);
  const line = document.createElement('small');
  line.id = `${id}-error`;
  line.className = 'field-error';
  line.hidden = true;
  field.closest('label')!.after(line);
  field.setAttribute('aria-describedby', `${field.getAttribute('aria-describedby') ?? ''} ${line.id}`.trim());
  return line;
}

/** Marks the fields in error and clears the others; for depth too (which is not a Config field). */
export function showFieldErrors(errors: Errors & { depth?: string }): void {
  for (const f of [...FIELDS, 'depth']) {
    const msg = (errors as Record<string, string | undefined>)[f];
    const el = $(f);
    if (msg) {
      el.setAttribute('aria-invalid', 'true');
      const line = errorLine(f);
      line.textContent = msg;
      line.hidden = false;
    } else {
      el.removeAttribute('aria-invalid');
      const line = document.getElementById(`${f}-error`);
      if (line) line.hidden = true;
    }
  }
}

/** Thrown when a field is invalid: its errors are already shown beside the fields. */
export class FormError extends Error {}

/** The checked configuration from a raw state; the errors shown beside the fields, or thrown. */
export function checkRaw(raw: Raw, extra: { depth?: string } = {}): Config {
  const { config, errors } = parseConfig(raw);
  const all = { ...errors, ...extra };
  showFieldErrors(all);
  const msgs = Object.values(all).filter(Boolean);
  if (!config || msgs.length)
    throw new FormError(`Fix the marked setting${msgs.length > 1 ? 's' : ''}: ${msgs.join('; ')}`);
  return config;
}

/** The form's configuration, checked. */
export const readConfig = (): Config => checkRaw(rawFromForm(), depthError());

function depthError(): { depth?: string } {
  const s = $<HTMLInputElement>('depth').value.trim();
  const d = Number(s);
  return /^\d+$/.test(s) && d >= 1 && d <= MAX_DEPTH
    ? {}
    : { depth: `Depth: give a whole number from 1 to ${MAX_DEPTH}, not '${s}'` };
}

/** Depth rewrites the hidden layers to that many of the first one's width; an invalid depth is an error. */
export function applyDepth(): void {
  const e = depthError();
  if (e.depth) {
    showFieldErrors({ ...parseConfig(rawFromForm()).errors, ...e });
    return;
  }
  const width = Number($<HTMLInputElement>('hidden').value.split(',')[0]) || 10;
  $<HTMLInputElement>('hidden').value = Array(Number($<HTMLInputElement>('depth').value))
    .fill(width)
    .join(', ');
}

/** Greys out the fields that mean nothing under the others (scale without random init, …). */
export function updateApplicable(): void {
  const raw = rawFromForm();
  for (const f of ['scale', 'lambda', 'rate'] as Field[]) {
    const el = $<HTMLInputElement>(f);
    el.disabled = !applies(f, raw);
    el.title = el.disabled
      ? `applies only with ${f === 'scale' ? 'random init' : f === 'lambda' ? 'L2' : 'dropout'}`
      : '';
  }
}

/** While training the settings are locked (the page says so); after, they apply to a new network. */
export function lockForm(locked: boolean): void {
  for (const fs of document.querySelectorAll<HTMLFieldSetElement>('#controls fieldset')) fs.disabled = locked;
  $('lesson').toggleAttribute('disabled', locked);
  $('locked').hidden = !locked;
  if (!locked) updateApplicable();
}
