/**
 * Stage and counter names as a person reads them in the `runs` table (`定位 120 件工单`); the JSON documents and the
 * runs table of the store keep the codes. A name not listed here is shown as it is.
 */
const STAGE_ZH: Record<string, string> = {
  ingest: '入库',
  place: '定位',
  tag: '标签',
  aggregate: '汇总',
  forecast: '预测',
  surge: '波峰预警',
  alerts: '上升预警',
  hotspots: '热点',
  topics: '月度议题',
  assign: '交办',
  push: '推送',
  effect: '成效评估',
  report: '月报',
  export: '导出',
};

/** Each counter's unit ('120 件工单'); the number comes first. */
const COUNT_ZH: Record<string, string> = {
  files: '个文件',
  orders: '件工单',
  days: '天',
  series: '个序列',
  alerts: '条预警',
  study_cells: '个区块',
  candidates: '个候选议题',
  recipients: '个接收人',
  subjects: '个评估对象',
  items: '条事项',
  pushed_items: '条已推送事项',
  repeats: '件重复诉求',
};

export function stageZh(stage: string): string {
  return STAGE_ZH[stage] ?? stage;
}

/** `120 件工单`, or `120 orders_x` for a counter not listed. */
export function countZh(counter: string, n: number): string {
  const unit = COUNT_ZH[counter];
  return unit ? `${n} ${unit}` : `${n} ${counter}`;
}
