/**
 * What a transform may call, for the help popover. The server's allow-list
 * (`expression_functions.describe_functions`) is the source of truth; no endpoint serves it yet,
 * so it is listed here.
 */

export interface HelpEntry {
  /** How it is written. */
  signature: string;
  description: string;
  /** What a click inserts around the current transform (`$` stands for it). */
  wrap: string;
}

export const FUNCTIONS: HelpEntry[] = [
  {
    signature: "parseInt(x, radix?)",
    description: "Leading whole number of x; else null.",
    wrap: "parseInt($)",
  },
  {
    signature: "parseFloat(x)",
    description: "Leading decimal number of x; else null.",
    wrap: "parseFloat($)",
  },
  {
    signature: "parseDecimal(x, precision, scale)",
    description: "x as an exact decimal; else null.",
    wrap: "parseDecimal($, 38, 9)",
  },
  {
    signature: "parseDate(x, format?)",
    description: "A date from ISO text, or with a format like '%d/%m/%Y'.",
    wrap: "parseDate($)",
  },
  {
    signature: "parseTimestamp(x, format?, timezone?)",
    description: "A timestamp from ISO text (or a format); naive text is read in timezone.",
    wrap: "parseTimestamp($)",
  },
  { signature: "String(x)", description: "x as text.", wrap: "String($)" },
  {
    signature: "Number(x)",
    description: "x as a number (dates: epoch milliseconds).",
    wrap: "Number($)",
  },
  {
    signature: "Boolean(x)",
    description: "false for null, false, 0, NaN and ''; else true.",
    wrap: "Boolean($)",
  },
  { signature: "trim(x)", description: "x without surrounding spaces.", wrap: "trim($)" },
  { signature: "lower(x)", description: "x in lower case.", wrap: "lower($)" },
  { signature: "upper(x)", description: "x in upper case.", wrap: "upper($)" },
  {
    signature: "concat(a, ...)",
    description: "The texts joined; nulls are skipped.",
    wrap: "concat($, '')",
  },
  {
    signature: "coalesce(a, ...)",
    description: "The first argument that is not null.",
    wrap: "coalesce($, '')",
  },
  {
    signature: "jsonExtract(x, '$.path')",
    description: "The value at a JSON path in JSON text, as text.",
    wrap: "jsonExtract($, '$.field')",
  },
  {
    signature: "regexExtract(x, pattern, group?)",
    description: "The match (or group) of an RE2 pattern.",
    wrap: "regexExtract($, '([0-9]+)', 1)",
  },
  {
    signature: "regexReplace(x, pattern, replacement)",
    description: "Every match replaced ($1 is group 1).",
    wrap: "regexReplace($, '\\\\s+', ' ')",
  },
  {
    signature: "replace(x, from, to)",
    description: "Every occurrence of from replaced by to.",
    wrap: "replace($, '-', '')",
  },
  {
    signature: "substring(x, start, length?)",
    description: "Part of x from a 1-based start, as in SQL.",
    wrap: "substring($, 1, 3)",
  },
  {
    signature: "length(x)",
    description: "Number of characters (items of a list).",
    wrap: "length($)",
  },
  {
    signature: "round(x, digits?)",
    description: "x rounded (halves away from zero).",
    wrap: "round($, 2)",
  },
  { signature: "abs(x)", description: "Absolute value.", wrap: "abs($)" },
  { signature: "floor(x)", description: "Largest whole number not above x.", wrap: "floor($)" },
  { signature: "ceil(x)", description: "Smallest whole number not below x.", wrap: "ceil($)" },
  { signature: "now()", description: "The current time (when the sync runs).", wrap: "now()" },
  {
    signature: 'mapValues(x, {"A": "active"}, default?)',
    description: "The value mapped to x; else default or null.",
    wrap: 'mapValues($, {"A": "active"})',
  },
  {
    signature: "if(condition, a, b)",
    description: "a when condition is truthy, else b.",
    wrap: "if($, 'yes', 'no')",
  },
  {
    signature: "split(x, separator)",
    description: "The list of the parts of x.",
    wrap: "split($, ',')",
  },
  {
    signature: "new Date(x).toISOString()",
    description: "ISO-8601 text in UTC, from text, epoch ms or a date.",
    wrap: "new Date($).toISOString()",
  },
];

export const METHODS: HelpEntry[] = [
  { signature: ".trim()", description: "Without surrounding spaces.", wrap: "$.trim()" },
  { signature: ".toLowerCase()", description: "In lower case.", wrap: "$.toLowerCase()" },
  { signature: ".toUpperCase()", description: "In upper case.", wrap: "$.toUpperCase()" },
  { signature: ".toString()", description: "As text.", wrap: "$.toString()" },
  {
    signature: ".toISOString()",
    description: "ISO-8601 text in UTC with milliseconds.",
    wrap: "$.toISOString()",
  },
  { signature: ".split(separator)", description: "The list of the parts.", wrap: "$.split(',')" },
  {
    signature: ".replace(search, replacement)",
    description: "The first occurrence replaced.",
    wrap: "$.replace('-', '')",
  },
  {
    signature: ".substring(start, end?)",
    description: "0-based, end excluded, as in JavaScript.",
    wrap: "$.substring(0, 3)",
  },
  {
    signature: ".length",
    description: "Number of characters (items of a list).",
    wrap: "$.length",
  },
  {
    signature: ".startsWith(s)",
    description: "Whether it starts with s.",
    wrap: "$.startsWith('')",
  },
  { signature: ".endsWith(s)", description: "Whether it ends with s.", wrap: "$.endsWith('')" },
  {
    signature: ".includes(s)",
    description: "Whether it contains s (a list: has the item).",
    wrap: "$.includes('')",
  },
];

/** The current transform wrapped by `entry` (an empty one stands for `value`). */
export function applyHelp(entry: HelpEntry, current: string): string {
  const inner = current.trim() || "value";
  const needsParens = entry.wrap.startsWith("$.") && !/^[\w.]+(\(.*\))?$/.test(inner);
  return entry.wrap.replace("$", needsParens ? `(${inner})` : inner);
}
