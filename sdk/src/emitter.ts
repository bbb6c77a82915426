// A tiny typed event emitter. Listeners may add or remove listeners while an event is emitted
// (lists are copied on write), and a listener that throws never stops the others.

export type Off = () => void;

export class Listeners<F extends (...args: never[]) => void> {
  private list: readonly F[] = [];

  constructor(private readonly onThrow: (err: unknown) => void) {}

  get size(): number {
    return this.list.length;
  }

  add(fn: F): Off {
    this.list = [...this.list, fn];
    return () => {
      this.list = this.list.filter((f) => f !== fn);
    };
  }

  emit(...args: Parameters<F>): void {
    for (const fn of this.list) {
      try {
        fn(...args);
      } catch (err) {
        this.onThrow(err);
      }
    }
  }
}

export class Emitter<E extends { [K in keyof E]: (...args: never[]) => void }> {
  private readonly lists = new Map<keyof E, Listeners<E[keyof E]>>();

  constructor(private readonly onThrow: (err: unknown) => void) {}

  on<K extends keyof E>(event: K, fn: E[K]): Off {
    let l = this.lists.get(event);
    if (!l) {
      l = new Listeners<E[keyof E]>(this.onThrow);
      this.lists.set(event, l);
    }
    return l.add(fn);
  }

  count<K extends keyof E>(event: K): number {
    return this.lists.get(event)?.size ?? 0;
  }

  emit<K extends keyof E>(event: K, ...args: Parameters<E[K]>): void {
    (this.lists.get(event) as Listeners<E[K]> | undefined)?.emit(...args);
  }
}
