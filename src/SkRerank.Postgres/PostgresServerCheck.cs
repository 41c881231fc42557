using Npgsql;

namespace SkRerank.Postgres;

/// <summary>
/// Checks a PostgreSQL server before anything else is done with it (a command line checks it before loading models):
/// that it accepts the connection string, and that pgvector is installed or can be created there.
/// </summary>
public static class PostgresServerCheck
{
    /// <summary>Connects and looks for the <c>vector</c> extension.</summary>
    /// <exception cref="PostgresStoreException">One line naming host and port (never the password) and what to do.</exception>
    /// <exception cref="ArgumentException">The connection string is malformed.</exception>
    public static async Task CheckAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var dataSource = PostgresCollection<int, object>.CreateDataSource(connectionString);
        NpgsqlConnection connection;
        try
        {
            connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && PostgresConnectionErrors.Describe(dataSource, ex) is { } described)
        {
            throw described;
        }

        await using (connection)
        {
            // Installed in this database, or available to CREATE EXTENSION (which the collection does when it creates its table).
            await using var command = new NpgsqlCommand(
                "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') OR EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector')",
                connection);
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
                throw new PostgresStoreException(PostgresConnectionErrors.VectorExtensionMissing(PostgresConnectionErrors.Endpoint(dataSource), connection.PostgreSqlVersion.Major));
        }
    }
}
