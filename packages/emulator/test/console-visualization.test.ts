import { describe, expect, it } from 'vitest';
import { takeRender, visualizationOf } from '../src/console/visualization.js';

const BINNED = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'EventResult', type: 'string' },
  { name: 'Attempts', type: 'long' },
  { name: 'Users', type: 'long' },
];

describe('how a console query asks to be drawn', () => {
  it('takes a trailing render off the query, keeping the text before it as written', () => {
    const query = 'T\n| summarize count() by bin(TimeGenerated, 1h)\n| render timechart';
    const taken = takeRender(query);
    expect(taken.query).toBe('T\n| summarize count() by bin(TimeGenerated, 1h)\n');
    expect(taken.render?.kind).toBe('timechart');
  });

  it('reads the with (…) properties of a render', () => {
    const taken = takeRender('T | render columnchart with (xcolumn=EventResult, ycolumns=Users, title=x)');
    expect(taken.render?.kind).toBe('barchart');
    expect(visualizationOf(taken.query, taken.render, BINNED)).toEqual({
      kind: 'barchart',
      x: 'EventResult',
      y: ['Users'],
    });
  });

  it('leaves a render that is not the last operator in the query', () => {
    expect(takeRender('T | render table | take 1').render).toBeUndefined();
  });

  it('draws a kind it does not know as a table', () => {
    const taken = takeRender('T | render treemap');
    expect(taken.render?.kind).toBe('table');
  });

  it('makes a summarize by bin() a time chart of every number, split by the other key', () => {
    expect(
      visualizationOf(
        'T | summarize Attempts = count(), Users = dcount(U) by bin(TimeGenerated, 1h), EventResult',
        undefined,
        BINNED,
      ),
    ).toEqual({ kind: 'timechart', x: 'TimeGenerated', y: ['Attempts', 'Users'], series: 'EventResult' });
  });

  it('draws nothing for a result without a bin, or without a number', () => {
    expect(visualizationOf('T | project TimeGenerated, Attempts', undefined, BINNED)).toBeUndefined();
    expect(
      visualizationOf('T | summarize by bin(TimeGenerated, 1h), EventResult', undefined, BINNED.slice(0, 2)),
    ).toBeUndefined();
  });

  it('gives a pie one value column: the first number', () => {
    const taken = takeRender('T | render piechart');
    expect(visualizationOf(taken.query, taken.render, BINNED)).toEqual({
      kind: 'piechart',
      x: 'EventResult',
      y: ['Attempts'],
    });
  });
});
