import type { Command } from 'commander';
import { relative } from 'node:path';
import { createProgress } from '../progress.js';
import { globalOptions } from '../env.js';
import { UserError } from '../../store/errors.js';
import { createLogger } from '../../store/log.js';
import { buildCity } from '../../synth/geography.js';
import { buildCalendar } from '../../synth/calendar.js';
import { DEFAULTS, generateCity, writeGeography, writeWeather, type GeneratedCity } from '../../synth/index.js';

function num(value: string, name: string, integer: boolean): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)))
    throw new UserError(`synth：${name} 应为${integer ? '整数' : '数'}，收到的是 '${value}'`);
  return n;
}

interface SynthOptions {
  out: string;
  seed?: string;
  scale?: string;
  start?: string;
  end?: string;
  geoOnly?: boolean;
}

type Say = (line: string) => void;

/** `--geo-only`: the boundaries, weather and config of the city, without orders. */
function writeGeoOnly(opts: SynthOptions, seed: number, json: boolean, say: Say): void {
  const city = buildCity(seed);
  const { configFile, geojson } = writeGeography(city, opts.out);
  const weatherFile = writeWeather(
    buildCalendar(seed, opts.start ?? DEFAULTS.start, opts.end ?? DEFAULTS.end),
    opts.out,
  );
  if (json) process.stdout.write(JSON.stringify({ configFile, geojson, weatherFile }, null, 2) + '\n');
  else
    say(
      `${city.name}的边界已写到 ${opts.out}（${city.districts.length} 个区县、${city.streets.length} 个街道、${city.communities.length} 个社区、${city.grids.length} 个网格）`,
    );
}

function printGenerated(res: GeneratedCity, secs: number, json: boolean, say: Say): void {
  if (json) {
    const { orders, ordersFiles, gbkCsv, truthFile, ordersTruthFile, weatherFile, configFile, geojson } = res;
    const doc = { orders, seconds: Math.round(secs * 10) / 10, ordersFiles, gbkCsv, truthFile, ordersTruthFile };
    const more = { weatherFile, configFile, geojson, events: res.truth.events.length };
    process.stdout.write(JSON.stringify({ ...doc, ...more }, null, 2) + '\n');
    return;
  }
  const rel = (p: string) => relative(process.cwd(), p) || '.';
  say(
    `${res.truth.city}：${res.truth.start} … ${res.truth.end} 共 ${res.orders} 件工单（随机种子 ${res.truth.seed}，规模 ${res.truth.scale}），用时 ${secs.toFixed(1)} 秒`,
  );
  say(`  工单：    ${res.ordersFiles.map(rel).join(', ')}`);
  say(`  GBK CSV： ${rel(res.gbkCsv)}（最后一个月，中文表头）`);
  say(`  真值：    ${rel(res.truthFile)}（埋入 ${res.truth.events.length} 个事件），${rel(res.ordersTruthFile)}`);
  say(`  配置：    ${rel(res.configFile)}（weisu --config ${rel(res.configFile)} …）`);
}

async function synth(opts: SynthOptions, cmd: Command): Promise<void> {
  const g = globalOptions(cmd);
  const json = Boolean(g.json);
  const say = (line: string) => {
    if (!json && !g.quiet) process.stdout.write(line + '\n');
  };
  const seed = opts.seed === undefined ? undefined : num(opts.seed, '--seed', true);
  const scale = opts.scale === undefined ? undefined : num(opts.scale, '--scale', false);
  if (opts.geoOnly) return writeGeoOnly(opts, seed ?? DEFAULTS.seed, json, say);
  const log = createLogger({ cmd: 'synth' });
  const bar = createProgress(!json && !g.quiet, log);
  const t0 = Date.now();
  try {
    const { out: outDir, start, end } = opts;
    const res = await generateCity({ outDir, seed, scale, start, end, log, progress: bar.progress });
    bar.stop();
    printGenerated(res, (Date.now() - t0) / 1000, json, say);
  } finally {
    bar.stop();
  }
}

export function register(program: Command): void {
  program
    .command('synth')
    .description('生成演示城市（北宁市）：边界、工单（Parquet 和一份 GBK 编码的 CSV 片段）、天气和已知事件')
    .requiredOption('--out <dir>', '写入的文件夹')
    .option('--seed <n>', `随机种子（默认 ${DEFAULTS.seed}）`)
    .option('--scale <x>', `工单量倍数：1 ≈ 第一年每天 ${DEFAULTS.baseDaily} 件（默认 ${DEFAULTS.scale}）`)
    .option('--start <date>', `第一天，YYYY-MM-DD（默认 ${DEFAULTS.start}）`)
    .option('--end <date>', `最后一天的次日，YYYY-MM-DD（默认 ${DEFAULTS.end}）`)
    .option('--geo-only', '只写边界、weather.csv 和 weisu.config.json（即 data/demo-city 中的内容）')
    .action(synth);
}
