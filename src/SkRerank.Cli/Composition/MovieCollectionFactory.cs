using Microsoft.Extensions.DependencyInjection;
using SkRerank.DependencyInjection;

namespace SkRerank.Cli.Composition;

/// <summary>Puts the movie search on the store the user chose with <c>--store</c>: the one place the CLI picks a store.</summary>
internal static class MovieCollectionFactory
{
    /// <summary>The environment variable read when <c>--connection-string</c> is not given.</summary>
    public const string ConnectionStringVariable = "SKRERANK_POSTGRES";

    /// <summary>The table of <c>--store postgres</c>.</summary>
    public const string TableName = "movies";

    /// <summary>
    /// Chooses the collection on the registration's builder. The in-memory store is the registration's own default
    /// (weighted z-score fusion); PostgreSQL goes through the library's <c>UsePostgres</c>, as an application would.
    /// </summary>
    public static MovieSearchBuilder UseStore(this MovieSearchBuilder builder, PipelineSettings settings) =>
        settings.Store == "postgres" ? builder.UsePostgres(settings.ConnectionString!, collectionName: TableName) : builder;
}
