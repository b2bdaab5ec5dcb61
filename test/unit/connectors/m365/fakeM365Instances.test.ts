// The fake Graph's recurring events: the dates each patternedRecurrence gives (table), and
// `/events/{id}/instances` over HTTP: occurrences in the series' zone across daylight saving,
// stable ids, paging, the required window, exceptions by PATCH, cancellations by DELETE, and the
// permission and fault checks every other request gets.
import * as assert from 'node:assert/strict';
import { seriesDates, type Pattern, type Range } from '../../../servers/fakeM365/recurrence';
import { startTestTenant, type TestTenant } from '../../../servers/fakeM365/testTenant';
import { request, tokenRequest } from './fakeHttp';

const first = (pattern: Pattern, range: Range, n: number, until = '2030-12-31') => [...seriesDates(pattern, range, until)].slice(0, n);

describe('fake Microsoft 365: recurrence patterns', () => {
  const cases: [string, Pattern, Range, string[], string?][] = [
    ['daily every 2 days, numbered', { type: 'daily', interval: 2 }, { type: 'numbered', startDate: '2026-01-30', numberOfOccurrences: 3 }, ['2026-01-30', '2026-02-01', '2026-02-03']],
    ['weekly Mon+Thu every 2 weeks from a Thursday (weeks from Monday)', { type: 'weekly', interval: 2, daysOfWeek: ['monday', 'thursday'], firstDayOfWeek: 'monday' }, { type: 'noEnd', startDate: '2026-01-08' }, ['2026-01-08', '2026-01-19', '2026-01-22', '2026-02-02']],
    ['weekly Saturday+Sunday every 2 weeks, weeks from Sunday', { type: 'weekly', interval: 2, daysOfWeek: ['sunday', 'saturday'], firstDayOfWeek: 'sunday' }, { type: 'noEnd', startDate: '2026-01-05' }, ['2026-01-10', '2026-01-18', '2026-01-24']],
    ['absoluteMonthly day 31 takes the last day of shorter months', { type: 'absoluteMonthly', interval: 1, dayOfMonth: 31 }, { type: 'numbered', startDate: '2026-01-31', numberOfOccurrences: 4 }, ['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']],
    ['relativeMonthly last Friday every 2 months', { type: 'relativeMonthly', interval: 2, daysOfWeek: ['friday'], index: 'last' }, { type: 'noEnd', startDate: '2026-01-01' }, ['2026-01-30', '2026-03-27', '2026-05-29']],
    ['relativeMonthly first weekday', { type: 'relativeMonthly', interval: 1, daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], index: 'first' }, { type: 'noEnd', startDate: '2026-02-01' }, ['2026-02-02', '2026-03-02', '2026-04-01', '2026-05-01']],
    ['relativeMonthly second Tuesday skips one before the start', { type: 'relativeMonthly', interval: 1, daysOfWeek: ['tuesday'], index: 'second' }, { type: 'noEnd', startDate: '2026-01-20' }, ['2026-02-10', '2026-03-10']],
    ['absoluteYearly 29 February', { type: 'absoluteYearly', interval: 1, month: 2, dayOfMonth: 29 }, { type: 'numbered', startDate: '2028-02-29', numberOfOccurrences: 2 }, ['2028-02-29', '2029-02-28']],
    ['relativeYearly fourth Thursday of November', { type: 'relativeYearly', interval: 1, month: 11, daysOfWeek: ['thursday'], index: 'fourth' }, { type: 'noEnd', startDate: '2026-01-01' }, ['2026-11-26', '2027-11-25', '2028-11-23']],
    ['endDate is inclusive', { type: 'daily', interval: 1 }, { type: 'endDate', startDate: '2026-03-01', endDate: '2026-03-03' }, ['2026-03-01', '2026-03-02', '2026-03-03']],
    ['a series without end stops at the asked date', { type: 'weekly', interval: 1, daysOfWeek: ['monday'] }, { type: 'noEnd', startDate: '2026-03-02' }, ['2026-03-02', '2026-03-09'], '2026-03-15'],
  ];
  for (const [name, pattern, range, expected, until] of cases) {
    it(name, () => assert.deepEqual(first(pattern, range, expected.length + (until ? 5 : 0), until), expected));
  }
});

describe('fake Microsoft 365: occurrences of a series', function () {
  this.timeout(20_000);
  let t: TestTenant;
  let token: string;
  const graph = (path: string, options: { method?: string; body?: object; bearer?: string } = {}) =>
    request(`${t.fake.url}/v1.0/users/ann@contoso.test${path}`, t.fake.caPem, {
      method: options.method ?? 'GET',
      headers: { authorization: `Bearer ${options.bearer ?? token}`, ...(options.body ? { 'content-type': 'application/json' } : {}) },
      ...(options.body ? { body: JSON.stringify(options.body) } : {}),
    });
  const instances = async (id: string, query = 'startDateTime=2026-09-01T00:00:00Z&endDateTime=2026-12-01T00:00:00Z') => {
    const all: Record<string, unknown>[] = [];
    for (let url: string | undefined = `/events/${id}/instances?${query}`; url; ) {
      const page = (await graph(url)).json() as { value: Record<string, unknown>[]; '@odata.nextLink'?: string };
      all.push(...page.value);
      url = page['@odata.nextLink']?.replace(/^.*\/users\/[^/]+/, '');
    }
    return all;
  };
  let seriesId: string;
  let calendar: string;

  before(async () => {
    t = await startTestTenant(['ann@contoso.test']);
    token = String((await tokenRequest(t.fake.url, t.fake.caPem, t.tenant.id, t.app.clientId, t.secret)).json().access_token);
    calendar = ((await graph('/calendars')).json().value as { id: string }[])[0].id;
  });
  // Each test its own series: one test's exceptions and cancellations are not another's listing.
  beforeEach(async () => {
    const created = await graph(`/calendars/${calendar}/events`, {
      method: 'POST',
      body: { subject: 'Review', start: { dateTime: '2026-10-12T09:00:00', timeZone: 'W. Europe Standard Time' }, end: { dateTime: '2026-10-12T10:00:00', timeZone: 'W. Europe Standard Time' }, recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'], firstDayOfWeek: 'monday' }, range: { type: 'numbered', startDate: '2026-10-12', numberOfOccurrences: 4, recurrenceTimeZone: 'W. Europe Standard Time' } } },
    });
    assert.equal(created.status, 201, created.body.toString());
    assert.equal(created.json().type, 'seriesMaster');
    seriesId = String(created.json().id);
  });
  after(async () => {
    await t?.fake.close();
  });

  it('lists occurrences in the series\' zone across daylight saving, in UTC, with stable distinct ids; paged; the window is required', async () => {
    const listed = await instances(seriesId);
    assert.deepEqual(listed.map((i) => [i.type, i.originalStart, (i.start as { dateTime: string }).dateTime, i.seriesMasterId, i.originalStartTimeZone]), [
      ['occurrence', '2026-10-12T07:00:00Z', '2026-10-12T07:00:00.0000000', seriesId, 'W. Europe Standard Time'],
      ['occurrence', '2026-10-19T07:00:00Z', '2026-10-19T07:00:00.0000000', seriesId, 'W. Europe Standard Time'],
      ['occurrence', '2026-10-26T08:00:00Z', '2026-10-26T08:00:00.0000000', seriesId, 'W. Europe Standard Time'],
      ['occurrence', '2026-11-02T08:00:00Z', '2026-11-02T08:00:00.0000000', seriesId, 'W. Europe Standard Time'],
    ]);
    assert.equal(new Set(listed.map((i) => i.id)).size, 4);
    assert.deepEqual((await instances(seriesId)).map((i) => i.id), listed.map((i) => i.id));
    const paged = (await graph(`/events/${seriesId}/instances?startDateTime=2026-09-01T00:00:00&endDateTime=2026-12-01T00:00:00&$top=3`)).json();
    assert.equal((paged.value as unknown[]).length, 3);
    assert.match(String(paged['@odata.nextLink']), /(\$|%24)skip=3/);
    const narrow = await instances(seriesId, 'startDateTime=2026-10-19T07:30:00Z&endDateTime=2026-10-26T08:00:00Z');
    assert.deepEqual(narrow.map((i) => i.originalStart), ['2026-10-19T07:00:00Z'], 'overlapping the window, end exclusive');
    const missing = await graph(`/events/${seriesId}/instances?startDateTime=2026-09-01T00:00:00Z`);
    assert.deepEqual([missing.status, (missing.json().error as { code: string }).code], [400, 'ErrorInvalidParameter']);
  });

  it('PATCH makes an exception, DELETE cancels (then 404); the master takes extended properties by PATCH', async () => {
    const [, second, third] = await instances(seriesId);
    const patched = await graph(`/events/${String(second.id)}`, { method: 'PATCH', body: { subject: 'Moved', start: { dateTime: '2026-10-20T14:00:00', timeZone: 'Europe/Paris' }, end: { dateTime: '2026-10-20T15:00:00', timeZone: 'Europe/Paris' } } });
    assert.equal(patched.status, 200, patched.body.toString());
    assert.deepEqual([patched.json().type, patched.json().subject], ['exception', 'Moved']);
    assert.equal((await graph(`/events/${String(third.id)}`, { method: 'DELETE' })).status, 204);
    assert.equal((await graph(`/events/${String(third.id)}`, { method: 'DELETE' })).status, 404);
    assert.equal((await graph(`/events/${String(third.id)}`, { method: 'PATCH', body: { subject: 'x' } })).status, 404);
    const after = await instances(seriesId);
    assert.deepEqual(after.map((i) => [i.type, i.subject, i.originalStart, (i.start as { dateTime: string }).dateTime]), [
      ['occurrence', 'Review', '2026-10-12T07:00:00Z', '2026-10-12T07:00:00.0000000'],
      ['exception', 'Moved', '2026-10-19T07:00:00Z', '2026-10-20T12:00:00.0000000'],
      ['occurrence', 'Review', '2026-11-02T08:00:00Z', '2026-11-02T08:00:00.0000000'],
    ]);
    const mark = 'String {4f1e6f3a-9b0c-4c5e-8a61-2f6d1e0c7a11} Name Test';
    assert.equal((await graph(`/events/${seriesId}`, { method: 'PATCH', body: { singleValueExtendedProperties: [{ id: mark, value: 'done' }] } })).status, 200);
    const read = (await graph(`/events/${seriesId}?$expand=singleValueExtendedProperties($filter=id eq '${mark}')`)).json();
    assert.deepEqual(read.singleValueExtendedProperties, [{ id: mark.toLowerCase(), value: 'done' }]);
    assert.equal((await graph(`/events/${seriesId}`, { method: 'PATCH', body: { recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: [] }, range: { type: 'noEnd', startDate: '2026-10-12' } } } })).status, 400);
  });

  it('applies the calendar permission, faults and throttling to occurrences as to other requests', async () => {
    const mailOnly = t.fake.data.addApp(t.tenant, { secrets: ['mail-only'], roles: ['Mail.ReadWrite'] });
    const mailToken = String((await tokenRequest(t.fake.url, t.fake.caPem, t.tenant.id, mailOnly.clientId, 'mail-only')).json().access_token);
    const [occurrence] = await instances(seriesId);
    assert.equal((await graph(`/events/${seriesId}/instances?startDateTime=2026-09-01&endDateTime=2026-12-01`, { bearer: mailToken })).status, 403);
    assert.equal((await graph(`/events/${String(occurrence.id)}`, { method: 'DELETE', bearer: mailToken })).status, 403);
    t.fake.faults.failMatching({ method: 'GET', path: /\/instances$/ }, 1, 503);
    assert.equal((await graph(`/events/${seriesId}`)).status, 200, 'a targeted fault leaves other requests alone');
    assert.equal((await graph(`/events/${seriesId}/instances?startDateTime=2026-09-01&endDateTime=2026-12-01`)).status, 503);
    t.fake.throttle.limits = { ...t.fake.throttle.limits, requests: 1, requestWindowMs: 5_000 };
    try {
      const statuses = [];
      for (let i = 0; i < 2; i++) statuses.push((await graph(`/events/${seriesId}/instances?startDateTime=2026-09-01&endDateTime=2026-12-01`)).status);
      assert.equal(statuses[1], 429);
    } finally {
      t.fake.throttle.limits = { ...t.fake.throttle.limits, requests: 10_000, requestWindowMs: 600_000 };
    }
  });
});
