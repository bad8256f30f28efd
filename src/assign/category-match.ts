/**
 * The one way assign names a group of categories, for handler types (handlers.ts) and item types (items.ts): by
 * path, where a listed path covers itself and every category under it (城市管理/路灯照明 covers
 * 城市管理/路灯照明/路灯不亮; a level-1 name covers its whole branch), or by words that any level's name contains,
 * in any case and any language (「heat/hot water」 finds a US 311 taxonomy's `HEAT/HOT WATER/ENTIRE BUILDING`). Words
 * let a rule reach a taxonomy whose paths nobody listed in advance: an unseen city's own names.
 */
export interface CategoryRule {
  /** Category paths, levels joined by '/'. */
  categories?: readonly string[];
  /** Words, any case. */
  keywords?: readonly string[];
}

/**
 * True when the category is one of the paths or lies under one of them: a path covers the category when it is the
 * category or the join of its first level names — cut at the stored levels, never at a '/' inside a name (a path
 * 'HEAT' does not cover the one-level 'HEAT/HOT WATER'). Levels default to the path split at '/'.
 */
function underPath(category: string, paths: readonly string[], levels: readonly string[]): boolean {
  if (!paths.length) return false;
  const above = new Set(levels.slice(0, -1).map((_, i) => levels.slice(0, i + 1).join('/')));
  return paths.some((p) => category === p || above.has(p));
}

/** True when a level name of the category contains one of the (lower-case) words. */
function hasKeyword(category: string, lowerWords: readonly string[]): boolean {
  const name = category.toLowerCase();
  return lowerWords.some((k) => k !== '' && name.includes(k));
}

/** The words as hasKeyword takes them: lower case, trimmed, no empty ones. */
function lowerWords(words: readonly string[]): string[] {
  return words.map((w) => w.trim().toLowerCase()).filter((w) => w !== '');
}

/** A test for the rule: its paths or its words name the category (levels: its stored level names, when known). */
export function categoryMatcher(rule: CategoryRule): (category: string, levels?: readonly string[]) => boolean {
  const paths = rule.categories ?? [];
  const words = lowerWords(rule.keywords ?? []);
  return (category, levels) => underPath(category, paths, levels ?? category.split('/')) || hasKeyword(category, words);
}
