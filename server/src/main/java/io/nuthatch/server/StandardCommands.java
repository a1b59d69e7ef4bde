package io.nuthatch.server;

import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.geo.GeoCommands;
import io.nuthatch.server.command.hash.HashCommands;
import io.nuthatch.server.command.hash.HashIterationCommands;
import io.nuthatch.server.command.hyperloglog.HyperLogLogCommands;
import io.nuthatch.server.command.key.ExpiryCommands;
import io.nuthatch.server.command.key.DumpCommands;
import io.nuthatch.server.command.key.KeyCommands;
import io.nuthatch.server.command.key.ObjectCommands;
import io.nuthatch.server.command.key.ScanCommands;
import io.nuthatch.server.command.list.BlockingListCommands;
import io.nuthatch.server.command.list.ListCommands;
import io.nuthatch.server.command.list.ListMoveCommands;
import io.nuthatch.server.command.pubsub.PubSubCommands;
import io.nuthatch.server.command.server.AclCommands;
import io.nuthatch.server.command.server.ClientCommands;
import io.nuthatch.server.command.server.ConfigCommands;
import io.nuthatch.server.command.server.ConnectionCommands;
import io.nuthatch.server.command.server.InfoCommands;
import io.nuthatch.server.command.server.IntrospectionCommands;
import io.nuthatch.server.command.server.LatencyCommands;
import io.nuthatch.server.command.server.MonitorCommands;
import io.nuthatch.server.command.server.MemoryCommands;
import io.nuthatch.server.command.server.PersistenceCommands;
import io.nuthatch.server.command.server.ServerCommands;
import io.nuthatch.server.command.server.SlowlogCommands;
import io.nuthatch.server.command.set.SetAlgebraCommands;
import io.nuthatch.server.command.set.SetCommands;
import io.nuthatch.server.command.set.SetRandomCommands;
import io.nuthatch.server.command.sort.SortCommands;
import io.nuthatch.server.command.stream.ClaimCommands;
import io.nuthatch.server.command.stream.ConsumerGroupCommands;
import io.nuthatch.server.command.stream.StreamCommands;
import io.nuthatch.server.command.stream.StreamInfoCommands;
import io.nuthatch.server.command.stream.StreamReadCommands;
import io.nuthatch.server.command.string.BitfieldCommands;
import io.nuthatch.server.command.string.BitmapCommands;
import io.nuthatch.server.command.string.CounterCommands;
import io.nuthatch.server.command.string.StringCommands;
import io.nuthatch.server.command.string.StringRangeCommands;
import io.nuthatch.server.command.transaction.TransactionCommands;
import io.nuthatch.server.command.scripting.FunctionCommands;
import io.nuthatch.server.command.scripting.ScriptingCommands;
import io.nuthatch.server.command.zset.SortedSetCommands;

/** The command families a server runs, assembled into one table. */
public final class StandardCommands {
    private StandardCommands() {
    }

    public static CommandTable table() {
        return CommandTable.of(
                ConnectionCommands::register,
                ClientCommands::register,
                ServerCommands::register,
                PersistenceCommands::register,
                IntrospectionCommands::register,
                InfoCommands::register,
                ConfigCommands::register,
                AclCommands::register,
                StringCommands::register,
                CounterCommands::register,
                StringRangeCommands::register,
                BitmapCommands::register,
                BitfieldCommands::register,
                KeyCommands::register,
                ScanCommands::register,
                ExpiryCommands::register,
                ObjectCommands::register,
                DumpCommands::register,
                ListCommands::register,
                ListMoveCommands::register,
                BlockingListCommands::register,
                HashCommands::register,
                HashIterationCommands::register,
                SetCommands::register,
                SetRandomCommands::register,
                SetAlgebraCommands::register,
                SortedSetCommands::register,
                GeoCommands::register,
                StreamCommands::register,
                StreamReadCommands::register,
                ConsumerGroupCommands::register,
                ClaimCommands::register,
                StreamInfoCommands::register,
                HyperLogLogCommands::register,
                MemoryCommands::register,
                TransactionCommands::register,
                PubSubCommands::register,
                SortCommands::register,
                SlowlogCommands::register,
                LatencyCommands::register,
                MonitorCommands::register,
                ScriptingCommands::register,
                FunctionCommands::register);
    }
}
