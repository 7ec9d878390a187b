import { join } from 'node:path';
import { checkApexTestPatterns, findTestPatternViolations } from '../../scripts/check/apexTestPatterns';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(__dirname, 'fixtures');
const VIOLATIONS = join('src', 'classes', 'ViolationsTest.cls');

describe('apex test-pattern check (mixed DML, setMock order)', () => {
  it("finds neither pattern in the project's test classes", () => {
    const result = checkApexTestPatterns(ROOT);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.summary).toMatch(/^\d+ test methods in \d+ @IsTest classes$/);
  });

  it('reports setup-object DML outside runAs next to other DML, directly and through the shared test data', () => {
    const { findings } = findTestPatternViolations(join(FIXTURES, 'apex-test-patterns-violations'));
    const mixed = findings.filter((finding) => finding.rule === 'mixed_dml');
    expect(mixed).toEqual([
      expect.objectContaining({
        code: 'apex_mixed_dml',
        file: VIOLATIONS,
        line: 7,
        method: 'ViolationsTest.insertsAUserAndAnAccountInOneTransaction',
      }),
      expect.objectContaining({
        code: 'apex_mixed_dml',
        file: VIOLATIONS,
        // the line that calls the helper; the message names the helper's own line
        line: 13,
        method: 'ViolationsTest.insertsARoleThroughTheSharedHelperAndThenACase',
      }),
    ]);
    expect(mixed[0]?.message).toContain('insert on User (ViolationsTest.cls:7)');
    expect(mixed[0]?.message).toContain('insert on Account (ViolationsTest.cls:8)');
    expect(mixed[1]?.message).toContain('insert on UserRole (SharedTestData.cls:10, via SharedTestData.ownerRole())');
    expect(mixed[1]?.message).toContain('Database.insert on Case (ViolationsTest.cls:15)');
    expect(mixed[1]?.message).toContain('MIXED_DML_OPERATION');
  });

  it('reports Test.setMock before Test.startTest after DML, directly and through a helper', () => {
    const { findings } = findTestPatternViolations(join(FIXTURES, 'apex-test-patterns-violations'));
    const order = findings.filter((finding) => finding.rule === 'setmock_order');
    expect(order).toEqual([
      expect.objectContaining({
        code: 'apex_setmock_order',
        file: VIOLATIONS,
        line: 21,
        method: 'ViolationsTest.setsTheMockThroughTheHelperAfterDmlBeforeStartTest',
      }),
      expect.objectContaining({
        code: 'apex_setmock_order',
        file: VIOLATIONS,
        line: 29,
        method: 'ViolationsTest.setsTheMockDirectlyAfterDmlWithoutStartTest',
      }),
    ]);
    expect(order[0]?.message).toContain('Test.setMock (SharedTestData.cls:15, via SharedTestData.mockCallouts())');
    expect(order[0]?.message).toContain('after insert on Account (ViolationsTest.cls:20)');
    expect(order[1]?.message).toContain('after Database.insert on Contact (ViolationsTest.cls:28)');
  });

  it('fails the check on the violations and passes the correct patterns (runAs, setMock after startTest)', () => {
    const failing = checkApexTestPatterns(join(FIXTURES, 'apex-test-patterns-violations'));
    expect(failing.ok).toBe(false);
    expect(failing.problems).toHaveLength(4);
    // The correct fixture also inserts a List<SObject> of a User and an Account: an unknown type is not reported.
    const passing = checkApexTestPatterns(join(FIXTURES, 'apex-test-patterns-correct'));
    expect(passing.problems).toEqual([]);
    expect(passing.ok).toBe(true);
    expect(passing.summary).toBe('4 test methods in 2 @IsTest classes');
  });
});
