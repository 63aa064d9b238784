import { startTestApp, TestApp, HttpClient } from '@treasury/test-support';

/**
 * Four eyes: under the book's approval policy a large sale, a large cash movement or a reversal is
 * recorded as a proposal with no effect on any figure, and takes effect only when a different
 * principal holding the command's role approves it. The audit trail shows proposer and approver.
 */
describe('four-eyes approval', () => {
  let app: TestApp;
  let alice: HttpClient;
  let bob: HttpClient;
  let clerk: HttpClient;
  let alicePrefix: string;
  let bobPrefix: string;
  const btcAt = async (query = '') => (await app.http.get(`/v1/books/acme/position${query}`)).body.holdings.btc;

  const key = async (name: string, role: string) => (await app.http.post('/v1/admin/api-keys', { name, role, books: ['acme'] })).body;

  beforeAll(async () => {
    app = await startTestApp('2026-02-01T00:00:00Z');
    const a = await key('alice (treasurer)', 'treasurer');
    const b = await key('bob (treasurer)', 'treasurer');
    alice = app.http.as(a.key);
    bob = app.http.as(b.key);
    clerk = app.http.as((await key('clerk', 'bookkeeper')).key);
    alicePrefix = a.keyPrefix;
    bobPrefix = b.keyPrefix;
    await app.http.accepted('acme', 'open-book', { name: 'Acme', effectiveAt: '2026-01-01T00:00:00Z' });
    await app.http.accepted('acme', 'record-mining-output', {
      effectiveAt: '2026-01-31T00:00:00Z',
      wallet: 'cold',
      btc: '1000',
      usdPerBtc: '90000.00',
    });
    const policy = await alice.command('acme', 'set-approval-policy', { reversals: true, salesAboveBtc: '100' });
    expect(policy.status).toBe(403); // book settings are an admin's
    await app.http.accepted('acme', 'set-approval-policy', {
      reversals: true,
      salesAboveBtc: '100',
      cashMovementsAboveUsd: '1000000.00',
      proposalLifetimeHours: 48,
    });
  });
  afterAll(() => app.dispose());

  it('a sale at or below the threshold takes effect at once', async () => {
    app.clock.set('2026-02-01T01:00:00Z');
    const sale = await alice.accepted('acme', 'record-btc-sale', {
      effectiveAt: '2026-02-01T00:30:00Z',
      wallet: 'cold',
      btc: '100',
      proceedsUsd: '9000000.00',
    });
    expect(sale.events.map((e: { type: string }) => e.type)).toEqual(['BtcSold']);
    expect(await btcAt()).toBe('900.00000000');
  });

  it('a large sale is a proposal with no effect until a different treasurer approves it; then it shows, through knownAt too', async () => {
    app.clock.set('2026-02-02T09:00:00Z');
    const proposed = await alice.accepted('acme', 'record-btc-sale', {
      effectiveAt: '2026-02-02T08:00:00Z',
      wallet: 'cold',
      btc: '500',
      proceedsUsd: '45000000.00',
    });
    expect(proposed.events.map((e: { type: string }) => e.type)).toEqual(['CommandProposed']);
    const proposalId = proposed.events[0].eventId;
    expect(await btcAt()).toBe('900.00000000');

    const own = await alice.command('acme', 'approve-proposal', { proposalId });
    expect([own.status, own.body.rule]).toEqual([422, 'four-eyes']);
    const notHisRole = await clerk.command('acme', 'approve-proposal', { proposalId });
    expect(notHisRole.status).toBe(403);
    expect(await btcAt()).toBe('900.00000000');

    app.clock.set('2026-02-02T10:00:00Z');
    const approved = await bob.accepted('acme', 'approve-proposal', { proposalId });
    expect(approved.events.map((e: { type: string }) => e.type)).toEqual(['ProposalApproved', 'BtcSold']);
    expect(approved.events[1].effectiveAt).toBe('2026-02-02T08:00:00.000Z');
    expect(await btcAt()).toBe('400.00000000');
    // As known before the approval, the sale had not happened; as known after, it had, at its own effective time.
    expect(await btcAt('?asOf=2026-02-02T09:00:00Z&knownAt=2026-02-02T09:59:59Z')).toBe('900.00000000');
    expect(await btcAt('?asOf=2026-02-02T09:00:00Z&knownAt=2026-02-02T10:00:00Z')).toBe('400.00000000');

    const events = await app.http.allEvents('acme');
    const sold = events.find((e) => e.eventId === approved.events[1].eventId) as { metadata: { actor: string } };
    const proposal = events.find((e) => e.eventId === proposalId) as { data: { proposedBy: string }; metadata: { actor: string } };
    expect(proposal.data.proposedBy).toBe(`key:${alicePrefix}`);
    expect(sold.metadata.actor).toBe(`key:${bobPrefix}`);
    const listed = (await app.http.get('/v1/books/acme/proposals')).body.proposals.find(
      (p: { proposalId: string }) => p.proposalId === proposalId,
    );
    expect(listed).toMatchObject({
      command: 'record-btc-sale',
      status: 'approved',
      proposedBy: `key:${alicePrefix}`,
      decidedBy: `key:${bobPrefix}`,
      body: { btc: '500.00000000' },
    });
    expect((await bob.command('acme', 'approve-proposal', { proposalId })).body.rule).toBe('proposal-decided');
  });

  it('a rejected proposal never takes effect; a lapsed one cannot be approved', async () => {
    app.clock.set('2026-02-03T00:00:00Z');
    const first = (
      await alice.accepted('acme', 'record-cash-movement', {
        effectiveAt: '2026-02-02T00:00:00Z',
        cashAccount: 'operating',
        amountUsd: '-5000000.00',
        category: 'capex',
      })
    ).events[0].eventId;
    const rejected = await bob.accepted('acme', 'reject-proposal', { proposalId: first, reason: 'no invoice attached' });
    expect(rejected.events.map((e: { type: string }) => e.type)).toEqual(['ProposalRejected']);
    expect((await alice.command('acme', 'approve-proposal', { proposalId: first })).body.rule).toBe('proposal-decided');

    const second = (
      await alice.accepted('acme', 'record-btc-sale', {
        effectiveAt: '2026-02-03T00:00:00Z',
        wallet: 'cold',
        btc: '200',
        proceedsUsd: '18000000.00',
      })
    ).events[0].eventId;
    app.clock.set('2026-02-05T00:00:00Z'); // 48 hours later: the proposal lapses
    const late = await bob.command('acme', 'approve-proposal', { proposalId: second });
    expect([late.status, late.body.rule]).toEqual([422, 'proposal-lapsed']);
    const statuses = Object.fromEntries(
      (await app.http.get('/v1/books/acme/proposals')).body.proposals.map(
        (p: { proposalId: string; status: string; reason: string | null }) => [p.proposalId, [p.status, p.reason]],
      ),
    );
    expect(statuses[first]).toEqual(['rejected', 'no invoice attached']);
    expect(statuses[second]).toEqual(['lapsed', null]);
    expect((await app.http.get('/v1/books/acme/position')).body.cash.totalUsd).toBe('54000000.00');
  });

  it('a reversal needs approval too, and approval records cannot themselves be reversed', async () => {
    const events = await app.http.allEvents('acme');
    const firstSale = events.find((e) => e.type === 'BtcSold')!.eventId as string;
    const proposal = events.find((e) => e.type === 'CommandProposed')!.eventId as string;
    const reversal = await alice.accepted('acme', 'reverse-event', { eventId: firstSale, reason: 'booked twice' });
    expect(reversal.events[0].type).toBe('CommandProposed');
    expect(await btcAt()).toBe('400.00000000');
    await bob.accepted('acme', 'approve-proposal', { proposalId: reversal.events[0].eventId });
    expect(await btcAt()).toBe('500.00000000');
    const refused = await alice
      .accepted('acme', 'reverse-event', { eventId: proposal, reason: 'x' })
      .catch((error: Error) => error.message);
    expect(refused).toMatch(/cannot-reverse-approval-record/);
  });

  it("replaying an approval with its idempotency key still needs the approver's role", async () => {
    app.clock.set('2026-02-05T01:00:00Z');
    const proposalId = (
      await alice.accepted('acme', 'record-btc-sale', {
        effectiveAt: '2026-02-05T00:00:00Z',
        wallet: 'cold',
        btc: '101',
        proceedsUsd: '9090000.00',
      })
    ).events[0].eventId;
    const key = { 'Idempotency-Key': 'approve-101' };
    expect((await bob.command('acme', 'approve-proposal', { proposalId }, key)).status).toBe(201);
    expect((await bob.command('acme', 'approve-proposal', { proposalId }, key)).body.replayed).toBe(true);
    expect((await clerk.command('acme', 'approve-proposal', { proposalId }, key)).status).toBe(403);
  });

  it('once a book has a policy, changing it needs a second admin (one admin cannot switch it off and act alone)', async () => {
    const second = app.http.as(
      (await app.http.post('/v1/admin/api-keys', { name: 'second admin', role: 'admin', books: ['acme'] })).body.key,
    );
    const loosen = await app.http.accepted('acme', 'set-approval-policy', { reversals: false });
    expect(loosen.events.map((e: { type: string }) => e.type)).toEqual(['CommandProposed']);
    expect(
      (
        await alice.accepted('acme', 'record-btc-sale', {
          effectiveAt: '2026-02-05T00:00:00Z',
          wallet: 'cold',
          btc: '150',
          proceedsUsd: '1.00',
        })
      ).events[0].type,
    ).toBe('CommandProposed');
    expect((await app.http.command('acme', 'approve-proposal', { proposalId: loosen.events[0].eventId })).body.rule).toBe('four-eyes');
    expect((await alice.command('acme', 'approve-proposal', { proposalId: loosen.events[0].eventId })).status).toBe(403);
    const approved = await second.accepted('acme', 'approve-proposal', { proposalId: loosen.events[0].eventId });
    expect(approved.events.map((e: { type: string }) => e.type)).toEqual(['ProposalApproved', 'ApprovalPolicySet']);
    expect(
      (
        await alice.accepted('acme', 'record-btc-sale', {
          effectiveAt: '2026-02-05T00:00:00Z',
          wallet: 'cold',
          btc: '150',
          proceedsUsd: '1.00',
        })
      ).events[0].type,
    ).toBe('BtcSold');
  });
});
