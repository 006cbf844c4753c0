// Text as people type it at every edge, checked one way: what the database stores exactly as given
// (no NUL, no lone surrogate), within the length its field takes. Re-exported by field-input; kept
// apart so a command line checks its arguments without loading the date parsers.
import { err, invalid, ok, type Result } from '../core/result.js';

/** The longest text any field takes, in characters, unless it has a tighter limit of its own. */
export const TEXT_LIMIT = 10_000;

const ID_LIMIT = 200;
const CODE_LIMIT = 100;
const NAME_LIMIT = 1_000;

/**
 * Fields with a limit of their own, by name (the last key of the field's path, array positions
 * skipped: `scope.0` is `scope`). Ids, codes and dates are short; names are at most a line. Each
 * is above what the services themselves allow (a 60-character id is refused there, saying why):
 * these only stop text no real field holds before anything else reads it.
 */
export const FIELD_TEXT_LIMITS: Readonly<Record<string, number>> = {
  ...Object.fromEntries(
    ['id', 'seat', 'student', 'course', 'courses', 'school', 'schools', 'restriction'].map((f) => [
      f,
      ID_LIMIT,
    ]),
  ),
  ...Object.fromEntries(
    [
      ...['country', 'iso3', 'program', 'programs', 'scope', 'kind', 'type', 'grounds'],
      ...['category', 'event', 'cause', 'priority', 'quarters', 'seatPolicy', 'to', 'status'],
      ...['level', 'outcome', 'usGrade', 'opiMin', 'prominence', 'format', 'dryRun'],
      ...['includeRetired', 'fy', 'limit', 'offset', 'revision', 'version'],
      // Dates and instants: the parsers say what is wrong with a short one.
      ...['on', 'from', 'until', 'notified', 'knownOn', 'classStart', 'birthDate'],
      ...['attacheConsultedOn', 'passportExpiresOn', 'validUntil', 'determinedOn'],
    ].map((f) => [f, CODE_LIMIT]),
  ),
  ...Object.fromEntries(
    [
      ...['name', 'names', 'familyName', 'givenNames', 'nameVariants', 'attacheName', 'title'],
      ...['rank', 'unit', 'service', 'birthPlace', 'passportNumber', 'serviceNumber'],
      ...['location', 'department', 'authority', 'actor'],
    ].map((f) => [f, NAME_LIMIT]),
  ),
  // A command line beside the server sends its arguments and folder as the shell gave them.
  argv: 100_000,
  cwd: 4_096,
  // A file sent in base64 to be imported (its bytes are bounded by the import, MAX_IMPORT_BYTES).
  content: 33_554_432,
};

/** The limit of a field named by its path (`queries.3.country` is a `country`). */
export function textLimitOf(field: string): number {
  return limitOfName(nameIn(field, undefined));
}

/** The limit of a field by its name; a name no limit is set for (or `constructor`) has TEXT_LIMIT. */
function limitOfName(name: string | undefined): number {
  return name !== undefined && Object.hasOwn(FIELD_TEXT_LIMITS, name)
    ? FIELD_TEXT_LIMITS[name]!
    : TEXT_LIMIT;
}

const POSITION = /^\d+$/;

/** The last part of `key` that names a field (not empty, not an array position), else `outer`. */
function nameIn(key: string, outer: string | undefined): string | undefined {
  const parts = key.includes('.') ? key.split('.') : [key];
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i]!;
    if (part !== '' && !POSITION.test(part)) return part;
  }
  return outer;
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text the database stores exactly as given, of at most `max` characters (code points). Refused:
 * U+0000, which PostgreSQL cannot store in text, and a lone UTF-16 surrogate, which is not
 * Unicode: stored, it would become U+FFFD while the audit log kept the original.
 */
export function checkTextField(
  field: string,
  text: string,
  max: number = textLimitOf(field),
): Result<string> {
  const nul = text.indexOf('\0');
  if (nul !== -1)
    return err(invalid(field, `contains a NUL character (U+0000) at ${nul}: not storable text`));
  const lone = LONE_SURROGATE.exec(text);
  if (lone !== null) {
    const unit = lone[0].charCodeAt(0).toString(16).toUpperCase();
    return err(
      invalid(
        field,
        `contains a lone UTF-16 surrogate (U+${unit}) at ${lone.index}: not valid Unicode text`,
      ),
    );
  }
  // Code points, so an emoji counts once; cheap: no string of at most `max` units is over.
  if (text.length > max) {
    const characters = [...text].length;
    if (characters > max)
      return err(invalid(field, `at most ${max} characters (got ${characters})`));
  }
  return ok(text);
}

/**
 * Checks every string in a parsed value (a request body, query, an imported row): its text, and
 * each object key, as checkTextField does. The refusal names the JSON path of the first bad
 * string (`scope.0`, `queries.3.country`), under `root` when given; a bare string is `value`.
 * Without `limits`, only what the database cannot store as given is refused, whatever the length.
 */
export function checkTextTree(
  value: unknown,
  root = '',
  { limits = true }: { readonly limits?: boolean } = {},
): Result<void> {
  // A work list, not recursion: a deeply nested body must not exhaust the stack. Each item knows
  // its parent and key, and the path is spelled out only for a refusal (a 10,000-question batch
  // holds 30,000 strings).
  const top: Place = { parent: undefined, key: root, name: nameIn(root, undefined) };
  const pending: { value: unknown; at: Place }[] = [{ value, at: top }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: item, at } = next;
    if (typeof item === 'string') {
      const checked = checkTextField('', item, limits ? limitOfName(at.name) : Infinity);
      if (!checked.ok) return err({ ...checked.error, field: fieldOf(at) });
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--)
        pending.push({
          value: item[i] as unknown,
          at: { parent: at, key: String(i), name: at.name },
        });
    } else if (typeof item === 'object' && item !== null) {
      const entries: [string, unknown][] = Object.entries(item as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const keyCheck = checkTextField('', key, TEXT_LIMIT);
        if (!keyCheck.ok) {
          const field = fieldOf(at);
          return err(invalid(field, `a field name ${keyCheck.error.message}`));
        }
        pending.push({ value: child, at: { parent: at, key, name: nameIn(key, at.name) } });
      }
    }
  }
  return ok(undefined);
}

/** Where a value sits in a tree: under which parent, at which key, in a field of which name. */
interface Place {
  readonly parent: Place | undefined;
  readonly key: string;
  readonly name: string | undefined;
}

/** The JSON path of `place` (`queries.3.on`), `value` for the top of the tree. */
function fieldOf(place: Place): string {
  const keys: string[] = [];
  for (let at: Place | undefined = place; at !== undefined; at = at.parent)
    if (at.key !== '') keys.push(at.key);
  return keys.length === 0 ? 'value' : keys.reverse().join('.');
}
