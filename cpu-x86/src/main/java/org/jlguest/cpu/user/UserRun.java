package org.jlguest.cpu.user;

/**
 * How a run of user code ended: completed at the stop address, stopped by an exception (with what
 * the hardware would report for it), or out of budget.
 */
public record UserRun(Outcome outcome, int vector, int errorCode, boolean hasErrorCode, int cr2, long instructions) {
    public enum Outcome { COMPLETED, FAULT, BUDGET_EXHAUSTED }
}
