import * as vega from 'vega';
import * as vl from 'vega-lite';

/** Fonts for Chinese text, tried in order by whoever opens the report (no web fonts: the file must stand alone). */
export const FONT =
  '"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",sans-serif';

export const CHART_CONFIG: vl.TopLevelSpec['config'] = {
  font: FONT,
  background: 'white',
  view: { stroke: null },
  axis: {
    labelColor: '#555',
    titleColor: '#333',
    gridColor: '#eee',
    domainColor: '#bbb',
    tickColor: '#bbb',
    labelFontSize: 11,
    titleFontSize: 11,
  },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: 'top' },
};

/**
 * Compile a Vega-Lite spec and render it headless to an SVG string. Element ids inside the SVG (clip paths,
 * gradients) get `idPrefix`, so several charts inlined in one HTML page never share an id.
 */
export async function renderSvg(spec: vl.TopLevelSpec, idPrefix: string): Promise<string> {
  const compiled = vl.compile({ ...spec, config: { ...CHART_CONFIG, ...(spec.config ?? {}) } } as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    const svg = await view.toSVG();
    return uniqueIds(svg, idPrefix);
  } finally {
    view.finalize();
  }
}

export function uniqueIds(svg: string, prefix: string): string {
  return svg
    .replace(/\sid="([^"]+)"/g, (_m, id: string) => ` id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${prefix}-${id})`)
    .replace(/href="#([^"]+)"/g, (_m, id: string) => `href="#${prefix}-${id}"`);
}
