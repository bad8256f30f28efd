import { Help, type HelpConfiguration, type Option, type Argument } from 'commander';

/** Commander's help headings, said in Chinese. */
const TITLES: Record<string, string> = {
  'Usage:': '用法:',
  'Options:': '选项：',
  'Arguments:': '参数：',
  'Commands:': '命令：',
  'Global Options:': '全局选项：',
};

/** Commander's notes after a description — `(default: "2", choices: …)` — in Chinese; the values stay as typed. */
function extrasInChinese(description: string): string {
  return description.replace(/ \(((?:default|choices|preset|env): .*)\)$/, (_, extras: string) => {
    const zh = extras
      .replace(/\bdefault: /, '默认：')
      .replace(/\bchoices: /, '可选：')
      .replace(/\bpreset: /, '预设：')
      .replace(/\benv: /, '环境变量：')
      .replace(/, /g, '，');
    return `（${zh}）`;
  });
}

/** Wide (CJK, full-width) characters take two terminal columns: help's padding and wrapping count them so. */
const WIDE_RANGES =
  '\\u1100-\\u115f\\u2e80-\\ua4cf\\uac00-\\ud7a3\\uf900-\\ufaff\\ufe30-\\ufe4f\\uff00-\\uff60\\uffe0-\\uffe6';
const WIDE = new RegExp(`[${WIDE_RANGES}]`, 'g');

/** Punctuation that may not begin a line: it stays with the character before it. */
const CLOSING = '，。、；：）》」』？！”’,.;:)';
/** Breakable pieces: leading spaces plus one wide character (and any closing marks after it), or a Latin word. */
const CHUNK = new RegExp(`\\s*(?:[${WIDE_RANGES}][${CLOSING}]*|[^\\s${WIDE_RANGES}]+[${CLOSING}]*)`, 'g');

/** Wrap to the width, breaking between any two Chinese characters as well as at spaces. */
function wrapWide(help: Help, str: string, width: number): string {
  if (width < help.minWidthToWrap) return str;
  return str
    .split(/\r?\n/)
    .map((line) => {
      const out: string[] = [];
      let cur = '';
      for (const chunk of line.match(CHUNK) ?? []) {
        if (cur !== '' && help.displayWidth(cur + chunk) > width) {
          out.push(cur);
          cur = chunk.trimStart();
        } else cur += chunk;
      }
      return [...out, cur].join('\n');
    })
    .join('\n');
}

/**
 * `weisu --help` in Chinese: headings, the default and choice notes, and column widths of Chinese text. The command
 * and option descriptions themselves are written in Chinese where each command is registered; flag names, command
 * names and values stay as they are (CONTRACT §3).
 */
export const CHINESE_HELP: HelpConfiguration = {
  styleTitle: (title: string) => TITLES[title] ?? title,
  optionDescription(this: Help, option: Option): string {
    return extrasInChinese(Help.prototype.optionDescription.call(this, option));
  },
  argumentDescription(this: Help, argument: Argument): string {
    return extrasInChinese(Help.prototype.argumentDescription.call(this, argument));
  },
  boxWrap(this: Help, str: string, width: number): string {
    return wrapWide(this, str, width);
  },
  displayWidth(this: Help, str: string): number {
    const plain = Help.prototype.displayWidth.call(this, str);
    return plain + (str.match(WIDE)?.length ?? 0);
  },
};
