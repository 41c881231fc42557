using System.Net.Sockets;
using Npgsql;

namespace SkRerank.Postgres;

/// <summary>
/// Turns failures to reach or log in to the server into one line naming host, port, database and user — never the
/// password — with what to check.
/// </summary>
internal static class PostgresConnectionErrors
{
    /// <summary>"host:port" of a data source, for messages.</summary>
    public static string Endpoint(NpgsqlDataSource dataSource)
    {
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        return $"{builder.Host ?? "localhost"}:{builder.Port}";
    }

    /// <summary>The user-facing exception for a failed open, or null when <paramref name="error"/> is not a connection failure.</summary>
    public static PostgresStoreException? Describe(NpgsqlDataSource dataSource, Exception error)
    {
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        var where = $"PostgreSQL at {builder.Host ?? "localhost"}:{builder.Port}";
        var who = $"user '{builder.Username ?? Environment.UserName}'";
        var message = error switch
        {
            PostgresException { SqlState: "28P01" } => $"{where} rejected the password of {who}; check the connection string's Username and Password.",
            PostgresException { SqlState: "28000" } => $"{where} refused {who} (no pg_hba.conf entry or role); check the connection string's Username.",
            PostgresException { SqlState: "3D000" } => $"{where} has no database '{builder.Database}'; create it or fix the connection string's Database.",
            PostgresException { SqlState: "53300" } => $"{where} has no free connection slots; lower Maximum Pool Size or raise the server's max_connections.",
            PostgresException => null,
            NpgsqlException { InnerException: SocketException socket } => $"cannot connect to {where}: {Reason(socket)}; is the server running and the host and port right?",
            NpgsqlException { InnerException: TimeoutException } or TimeoutException => $"cannot connect to {where}: timed out; is the server running and reachable?",
            NpgsqlException { InnerException: IOException } => $"cannot connect to {where}: the connection was closed during login; is it a PostgreSQL server?",
            SocketException socket => $"cannot connect to {where}: {Reason(socket)}; is the server running and the host and port right?",
            NpgsqlException npgsql => $"cannot connect to {where}: {FirstLine(npgsql.Message)}",
            _ => null,
        };
        return message is null ? null : new PostgresStoreException(message, error);
    }

    /// <summary>What to do when the server has no pgvector.</summary>
    public static string VectorExtensionMissing(string endpoint, int majorVersion) =>
        $"the vector extension is not installed on this server ({endpoint}, PostgreSQL {majorVersion}): install pgvector 0.7 or later there " +
        $"(Debian/Ubuntu: apt install postgresql-{majorVersion}-pgvector; managed services: enable the 'vector' extension), then run the command again.";

    private static string Reason(SocketException socket) => socket.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "unknown host",
        SocketError.TimedOut => "timed out",
        _ => FirstLine(socket.Message),
    };

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
