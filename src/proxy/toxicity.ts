/**
 * Draws whether a toxic applies, request by request (http) or connection by
 * connection (tcp), so that the share it applies to tracks its toxicity to
 * within one draw at every point, yet which draws apply stays random.
 *
 * Independent coin flips (Toxiproxy's way) are right on average but wander:
 * over the 20 requests a short chaos window sees, a toxicity of 0.5 applies
 * anywhere from 6 to 14 times one run in twenty, and a scenario's measured
 * failure rate lands outside its expected band by chance. Here a running
 * balance carries what earlier draws owe: each draw applies with probability
 * balance + toxicity (clamped to 0..1), and the balance keeps
 * Σ toxicity − applied, which therefore stays within (−1, 1). The price:
 * runs are short (at 0.5, never three applied or three missed in a row), so
 * a fault meant to come in bursts needs its own toxic, not a toxicity.
 */
export class ToxicityDraw {
  private balance = 0;

  constructor(
    private readonly toxicity: number,
    private readonly random: () => number,
  ) {}

  next(): boolean {
    const chance = this.balance + this.toxicity;
    // Certain outcomes draw no number, so toxicity 0 and 1 leave the random stream alone.
    const applies = chance >= 1 ? true : chance <= 0 ? false : this.random() < chance;
    this.balance = chance - (applies ? 1 : 0);
    return applies;
  }
}
