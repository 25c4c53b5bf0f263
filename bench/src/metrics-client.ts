/** Reads one counter (summed over label sets) from a Prometheus text page. */
export async function readCounter(metricsUrl: string, name: string): Promise<number> {
  const response = await fetch(metricsUrl);
  if (response.status !== 200) throw new Error(`${metricsUrl}: HTTP ${response.status}`);
  const pattern = new RegExp(`^${name}(?:\\{[^}]*\\})?\\s+(\\S+)`, 'gm');
  const values = [...(await response.text()).matchAll(pattern)].map((match) => Number(match[1]));
  if (values.length === 0) throw new Error(`${metricsUrl} has no ${name}`);
  return values.reduce((sum, value) => sum + value, 0);
}
