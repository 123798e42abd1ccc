import { describe, expect, it } from 'vitest';
import { BoundedLabel, MAX_LABEL_VALUES, OTHER } from '../../src/observability/labels.js';
import { Metrics } from '../../src/observability/metrics.js';
import { parseMetrics, sampleValue } from '../support/metrics.js';

/** Label values chosen by clients stay bounded: the first ones seen by name, the rest as `other`. */
describe('BoundedLabel', () => {
  it('keeps the first values seen and counts every later one as other, for good', () => {
    const label = new BoundedLabel(3);
    expect(['a', 'b', 'a', 'c'].map((v) => label.of(v))).toEqual(['a', 'b', 'a', 'c']);
    expect(label.of('d')).toBe(OTHER);
    expect(label.of('e')).toBe(OTHER);
    // Values kept stay themselves.
    expect(label.of('b')).toBe('b');
  });

  it('bounds the tenants of agent_storage_tenant_requests_total', async () => {
    const metrics = new Metrics('sqlite');
    for (let i = 0; i < MAX_LABEL_VALUES + 50; i++) metrics.tenantRequest(`tenant_${i}`);
    metrics.tenantRequest('tenant_0');
    const samples = parseMetrics(await metrics.registry.metrics()).filter((s) => s.name === 'agent_storage_tenant_requests_total');
    expect(samples).toHaveLength(MAX_LABEL_VALUES + 1);
    expect(sampleValue(samples, 'agent_storage_tenant_requests_total', { tenant: 'tenant_0' })).toBe(2);
    expect(sampleValue(samples, 'agent_storage_tenant_requests_total', { tenant: OTHER })).toBe(50);
  });
});
