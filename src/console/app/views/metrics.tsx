import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { ConsoleMetricNamesDocument, ConsoleMetricSeriesDocument, type ConsoleMetricSeriesQuery } from '../../gql/graphql.js';
import { useClient, useLoad } from '../hooks.js';
import { Show, useTitle } from './common.js';

/** Time ranges and the bucket each is charted in (at most a few hundred points per series). */
const RANGES = {
  '1h': { seconds: 3600, bucket: '1m', label: 'last hour' },
  '24h': { seconds: 86_400, bucket: '5m', label: 'last 24 hours' },
  '7d': { seconds: 7 * 86_400, bucket: '1h', label: 'last 7 days' },
  '30d': { seconds: 30 * 86_400, bucket: '1d', label: 'last 30 days' },
} as const;
type Range = keyof typeof RANGES;
const STATS = ['avg', 'count', 'sum', 'min', 'max', 'p95'] as const;
type Stat = (typeof STATS)[number];
const GROUPS = { '': 'nothing', metric_name: 'metric', session: 'session', entity_name: 'entity', entity_type: 'entity type' } as const;
type Series = ConsoleMetricSeriesQuery['metricSeries'][number];

const COLORS = ['#1f5fbf', '#b4380f', '#1d7f45', '#7a3fb0', '#8a6d00', '#0d7580', '#b0306a', '#4a4a4a'];

export function MetricsPage() {
  useTitle('Metrics');
  return (
    <>
      <h1>Metrics</h1>
      <MetricsCharts />
    </>
  );
}

const groupName = (group: Record<string, unknown>) =>
  Object.keys(group).length === 0
    ? 'all'
    : Object.entries(group)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(', ');

/** A series' statistics over the whole range (percentiles do not add up: not shown here). */
function totals(series: Series) {
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const p of series.points) {
    count += p.count ?? 0;
    sum += p.sum ?? 0;
    if (p.min !== null && p.min !== undefined) min = Math.min(min, p.min);
    if (p.max !== null && p.max !== undefined) max = Math.max(max, p.max);
  }
  return { count, sum, avg: count ? sum / count : null, min: count ? min : null, max: count ? max : null };
}

const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });
const fmt = (value: number | null) => (value === null ? '—' : number.format(value));

/** Metrics over time (uPlot) with their aggregates (docs/analytics.md); of one session when given one. */
export function MetricsCharts({ sessionId }: { sessionId?: string }) {
  const client = useClient();
  const [range, setRange] = useState<Range>('24h');
  const [metricName, setMetricName] = useState('');
  const [stat, setStat] = useState<Stat>('avg');
  const [groupBy, setGroupBy] = useState<keyof typeof GROUPS>('');
  // One "now" per choice of range, so that the queries agree on the window.
  const [until, setUntil] = useState(() => new Date());
  const since = new Date(until.getTime() - RANGES[range].seconds * 1000);

  const [names] = useLoad(
    async (signal) => {
      const { metricSeries } = await client.request(ConsoleMetricNamesDocument, { sessionId, since: new Date(Date.now() - 30 * 86_400_000).toISOString() }, { signal });
      return metricSeries.map((s) => String(s.group.metric_name)).sort();
    },
    [sessionId],
  );
  const [series] = useLoad(
    async (signal) =>
      (
        await client.request(
          ConsoleMetricSeriesDocument,
          {
            sessionId,
            metricName: metricName || undefined,
            bucket: RANGES[range].bucket,
            since: since.toISOString(),
            until: until.toISOString(),
            groupBy: groupBy ? [groupBy] : undefined,
          },
          { signal },
        )
      ).metricSeries,
    [sessionId, metricName, range, groupBy, until.getTime()],
  );

  return (
    <section aria-labelledby="metrics-title" class="metrics">
      <h2 id="metrics-title">{sessionId ? 'Metrics of this session' : 'Charts'}</h2>
      <div class="filters">
        <label>
          Metric
          <select value={metricName} onChange={(e) => setMetricName((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">every metric</option>
            {names.state === 'done' && names.value.map((n) => <option value={n}>{n}</option>)}
          </select>
        </label>
        <label>
          Range
          <select
            value={range}
            onChange={(e) => {
              setRange((e.currentTarget as HTMLSelectElement).value as Range);
              setUntil(new Date());
            }}
          >
            {Object.entries(RANGES).map(([value, r]) => (
              <option value={value}>{r.label}</option>
            ))}
          </select>
        </label>
        <label>
          Chart
          <select value={stat} onChange={(e) => setStat((e.currentTarget as HTMLSelectElement).value as Stat)}>
            {STATS.map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Group by
          <select value={groupBy} onChange={(e) => setGroupBy((e.currentTarget as HTMLSelectElement).value as keyof typeof GROUPS)}>
            {Object.entries(GROUPS).map(([value, label]) => (
              <option value={value}>{label}</option>
            ))}
          </select>
        </label>
        <div class="actions">
          <button type="button" onClick={() => setUntil(new Date())}>
            Refresh
          </button>
        </div>
      </div>
      <Show loaded={series}>
        {(list) =>
          list.length === 0 ? (
            <p>No metrics in this range.</p>
          ) : (
            <>
              <Chart series={list} stat={stat} since={since} until={until} bucket={RANGES[range].bucket} />
              <div class="scroll">
                <table class="aggregates">
                  <caption>
                    Aggregates, {RANGES[range].label}
                    {metricName ? `, ${metricName}` : ''}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Series</th>
                      <th scope="col">Count</th>
                      <th scope="col">Sum</th>
                      <th scope="col">Mean</th>
                      <th scope="col">Min</th>
                      <th scope="col">Max</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((s) => {
                      const t = totals(s);
                      return (
                        <tr>
                          <th scope="row">{groupName(s.group)}</th>
                          <td>{fmt(t.count)}</td>
                          <td>{fmt(t.sum)}</td>
                          <td>{fmt(t.avg)}</td>
                          <td>{fmt(t.min)}</td>
                          <td>{fmt(t.max)}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </>
          )
        }
      </Show>
    </section>
  );
}

/** The series on one time axis: every bucket start any series has, gaps where one has none. */
function Chart({ series, stat, since, until, bucket }: { series: Series[]; stat: Stat; since: Date; until: Date; bucket: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const times = [...new Set(series.flatMap((s) => s.points.map((p) => Date.parse(p.t) / 1000)))].sort((a, b) => a - b);
    const index = new Map(times.map((t, i) => [t, i]));
    const columns = series.map((s) => {
      const column: (number | null)[] = times.map(() => null);
      for (const p of s.points) column[index.get(Date.parse(p.t) / 1000)!] = p[stat] ?? null;
      return column;
    });
    const width = () => Math.max(280, element.clientWidth);
    const plot = new uPlot(
      {
        width: width(),
        height: 280,
        scales: { x: { time: true, range: () => [since.getTime() / 1000, until.getTime() / 1000] } },
        series: [{}, ...series.map((s, i) => ({ label: groupName(s.group), stroke: COLORS[i % COLORS.length], width: 2, spanGaps: false, points: { show: times.length < 60 } }))],
        axes: [{}, { label: stat }],
      },
      [times, ...columns] as uPlot.AlignedData,
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: 280 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [series, stat, since.getTime(), until.getTime()]);
  return (
    <figure class="chart">
      <div ref={box} />
      <figcaption>
        {stat} per {bucket} bucket, {series.length} series (the table below has the numbers)
      </figcaption>
    </figure>
  );
}
