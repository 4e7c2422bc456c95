/**
 * Skill names interned to small integers so an agent's levels are an array lookup on the hot path.
 * Skill 0 is the implicit skill every agent has: a queue with no requirement requires it, so the same
 * indexes serve skill-less queues.
 */
export const ANY_SKILL_ID = 0;
export const ANY_SKILL_NAME = '*';

export class SkillRegistry {
  private readonly ids = new Map<string, number>([[ANY_SKILL_NAME, ANY_SKILL_ID]]);

  intern(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(name, id);
    }
    return id;
  }
}
