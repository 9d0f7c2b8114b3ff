import { describe, expect, it } from 'vitest';
import { itHasKustoTypes, valueOf } from './support/one-row.js';

// Expected values are Microsoft's documented examples (Kusto query reference: datetime_add,
// datetime_diff, dayofweek, hourofday, dayofmonth, monthofyear, getyear, startofweek, startofmonth,
// startofyear, endofday, endofweek, endofmonth, endofyear, make_datetime, unixtime_*_todatetime,
// array_slice); the vendor web session parsers call several of them.

describe('datetime_diff and datetime_add', () => {
  it.each([
    ["'year', datetime(2017-01-01), datetime(2000-12-31)", 17],
    ["'quarter', datetime(2017-07-01), datetime(2017-03-30)", 2],
    ["'month', datetime(2017-01-01), datetime(2015-12-30)", 13],
    ["'week', datetime(2017-10-29 00:00), datetime(2017-09-30 23:59)", 5],
    ["'day', datetime(2017-10-29 00:00), datetime(2017-09-30 23:59)", 29],
    ["'hour', datetime(2017-10-31 01:00), datetime(2017-10-30 23:59)", 2],
    ["'minute', datetime(2017-10-30 23:05:01), datetime(2017-10-30 23:00:59)", 5],
    ["'second', datetime(2017-10-30 23:00:10.100), datetime(2017-10-30 23:00:00.900)", 10],
    ["'millisecond', datetime(2017-10-30 23:00:00.200100), datetime(2017-10-30 23:00:00.100900)", 100],
    ["'microsecond', datetime(2017-10-30 23:00:00.1009001), datetime(2017-10-30 23:00:00.1008009)", 100],
    ["'nanosecond', datetime(2017-10-30 23:00:00.0000000), datetime(2017-10-30 23:00:00.0000007)", -700],
  ])('datetime_diff(%s) is %d', (args, expected) => {
    expect(valueOf(`datetime_diff(${args})`)).toBe(expected);
  });

  it.each([
    ['year', '2018-01-01T00:00:00.0000000Z'],
    ['quarter', '2017-04-01T00:00:00.0000000Z'],
    ['month', '2017-02-01T00:00:00.0000000Z'],
    ['week', '2017-01-08T00:00:00.0000000Z'],
    ['day', '2017-01-02T00:00:00.0000000Z'],
    ['hour', '2017-01-01T01:00:00.0000000Z'],
    ['minute', '2017-01-01T00:01:00.0000000Z'],
    ['second', '2017-01-01T00:00:01.0000000Z'],
  ])("datetime_add('%s', 1, datetime(2017-01-01)) is %s", (period, expected) => {
    expect(valueOf(`datetime_add('${period}', 1, datetime(2017-01-01))`)).toBe(expected);
  });

  it('adds a month to the 31st by ending on the last day of the shorter month', () => {
    expect(valueOf("datetime_add('month', 1, datetime(2017-01-31 08:00))")).toBe(
      '2017-02-28T08:00:00.0000000Z',
    );
  });

  it('refuses a period it does not know, naming the ones it does', () => {
    expect(() => valueOf("datetime_diff('fortnight', now(), now())")).toThrow(/'fortnight' is not a period/);
  });
});

describe('parts of a datetime', () => {
  it('dayofweek counts days since Sunday; hourofday, dayofmonth, monthofyear and getyear read the fields', () => {
    expect(valueOf('dayofweek(datetime(1947-11-30 10:00:05))')).toBe('00:00:00');
    expect(valueOf('dayofweek(datetime(1970-05-11))')).toBe('1.00:00:00');
    expect(valueOf('hourofday(datetime(2015-12-14 18:54))')).toBe(18);
    expect(valueOf('dayofmonth(datetime(2015-12-14))')).toBe(14);
    expect(valueOf('monthofyear(datetime(2015-12-14))')).toBe(12);
    expect(valueOf('getyear(datetime(2015-10-12))')).toBe(2015);
  });
});

describe('start and end of a period', () => {
  const t = 'datetime(2017-01-01 10:10:17)';
  it('starts a week on Sunday, a month on the 1st, a year on January 1st, offset by whole periods', () => {
    expect(valueOf(`startofweek(${t})`)).toBe('2017-01-01T00:00:00.0000000Z');
    expect(valueOf(`startofweek(${t}, -1)`)).toBe('2016-12-25T00:00:00.0000000Z');
    expect(valueOf(`startofweek(${t}, 1)`)).toBe('2017-01-08T00:00:00.0000000Z');
    expect(valueOf(`startofmonth(${t}, -1)`)).toBe('2016-12-01T00:00:00.0000000Z');
    expect(valueOf(`startofyear(${t}, 1)`)).toBe('2018-01-01T00:00:00.0000000Z');
  });

  it('ends a period on its last tick', () => {
    expect(valueOf(`endofday(${t}, -1)`)).toBe('2016-12-31T23:59:59.9999999Z');
    expect(valueOf(`endofweek(${t}, 1)`)).toBe('2017-01-14T23:59:59.9999999Z');
    expect(valueOf(`endofmonth(${t})`)).toBe('2017-01-31T23:59:59.9999999Z');
    expect(valueOf(`endofyear(${t})`)).toBe('2017-12-31T23:59:59.9999999Z');
  });
});

describe('building datetimes', () => {
  it('make_datetime builds one from its fields, null for a date that does not exist', () => {
    expect(valueOf('make_datetime(2017, 10, 01, 12, 10)')).toBe('2017-10-01T12:10:00.0000000Z');
    expect(valueOf('make_datetime(2017, 10, 01, 12, 11, 0.1234567)')).toBe('2017-10-01T12:11:00.1234567Z');
    expect(valueOf('make_datetime(2017, 2, 30)')).toBeNull();
  });

  it('unixtime_*_todatetime reads seconds, milliseconds, microseconds and nanoseconds since 1970', () => {
    expect(valueOf('unixtime_seconds_todatetime(1546300800)')).toBe('2019-01-01T00:00:00.0000000Z');
    expect(valueOf('unixtime_milliseconds_todatetime(1546300800123)')).toBe('2019-01-01T00:00:00.1230000Z');
    expect(valueOf('unixtime_microseconds_todatetime(1546300800123456)')).toBe(
      '2019-01-01T00:00:00.1234560Z',
    );
    expect(valueOf('unixtime_nanoseconds_todatetime(1546300800123456789)')).toBe(
      '2019-01-01T00:00:00.1234567Z',
    );
    expect(valueOf('unixtime_milliseconds_todatetime(todouble("1546300800.5") * 1000)')).toBe(
      '2019-01-01T00:00:00.5000000Z',
    );
  });
});

describe('format_datetime and format_timespan', () => {
  it('write a datetime with the documented specifiers and separators', () => {
    const dt = 'datetime(2017-01-29 09:00:05)';
    expect(valueOf(`format_datetime(${dt}, 'yy-MM-dd [HH:mm:ss]')`)).toBe('17-01-29 [09:00:05]');
    expect(valueOf(`format_datetime(${dt}, 'yyyy-M-dd [H:mm:ss]')`)).toBe('2017-1-29 [9:00:05]');
    expect(valueOf(`format_datetime(${dt}, 'yy-MM-dd [hh:mm:ss tt]')`)).toBe('17-01-29 [09:00:05 AM]');
    expect(valueOf("format_datetime(datetime(2009-06-15T13:45:30.6170000), 'fff FF')")).toBe('617 61');
  });

  it('write a timespan, its days padded to the width asked', () => {
    const t = 'time(29.09:00:05.12345)';
    expect(valueOf(`format_timespan(${t}, 'dd.hh:mm:ss:FF')`)).toBe('29.09:00:05:12');
    expect(valueOf(`format_timespan(${t}, 'ddd.h:mm:ss [fffffff]')`)).toBe('029.9:00:05 [1234500]');
  });

  it('refuse a letter that is no specifier, naming it', () => {
    expect(() => valueOf("format_datetime(now(), 'yyyy-MM-dd Q')")).toThrow(
      /'Q' is not a datetime format specifier/,
    );
  });
});

describe('array_slice', () => {
  it('slices from start to end, both included, negative indices counting from the end', () => {
    expect(valueOf('array_slice(dynamic([1, 2, 3]), 1, 2)')).toEqual([2, 3]);
    expect(valueOf('array_slice(dynamic([1, 2, 3, 4, 5]), 2, -1)')).toEqual([3, 4, 5]);
    expect(valueOf('array_slice(dynamic([1, 2, 3, 4, 5]), -3, -2)')).toEqual([3, 4]);
    expect(valueOf("strcat_array(array_slice(split('www.contoso.com', '.'), 1, -1), '.')")).toBe(
      'contoso.com',
    );
  });
});

describe('result types', () => {
  itHasKustoTypes([
    "datetime_add('day', 1, now())",
    "datetime_diff('day', now(), now())",
    'dayofweek(now())',
    'hourofday(now())',
    'dayofmonth(now())',
    'monthofyear(now())',
    'getyear(now())',
    'startofweek(now())',
    'startofmonth(now())',
    'startofyear(now())',
    'endofday(now())',
    'endofweek(now())',
    'endofmonth(now())',
    'endofyear(now())',
    'make_datetime(2017, 1, 1)',
    'unixtime_seconds_todatetime(Count)',
    'unixtime_milliseconds_todatetime(Count)',
    'unixtime_microseconds_todatetime(Count)',
    'unixtime_nanoseconds_todatetime(Count)',
    'array_slice(Items, 1, 2)',
    "format_datetime(now(), 'yyyy')",
    "format_timespan(1h, 'hh')",
  ]);
});
