using Microsoft.Extensions.VectorData;

namespace SkRerank.Postgres;

/// <summary>
/// A PostgreSQL collection could not do what was asked, for a reason the user can act on: the server cannot be reached
/// or refused the login, pgvector is not installed, or an existing table holds another layout, model or dimension. The
/// message is one line naming host and port (never the password) and what to do.
/// </summary>
public sealed class PostgresStoreException : VectorStoreException
{
    /// <summary>Creates the exception.</summary>
    public PostgresStoreException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
