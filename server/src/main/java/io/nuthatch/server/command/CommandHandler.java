package io.nuthatch.server.command;

/** Runs one command: reads its arguments, acts on the keyspace, writes the reply. */
@FunctionalInterface
public interface CommandHandler {
    /**
     * @throws CommandError to reply with an error instead of whatever was written
     */
    void execute(CommandContext context);
}
