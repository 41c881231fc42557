using Microsoft.Extensions.Logging;
using SkRerank.Cli.Composition;
using SkRerank.Embeddings;
using SkRerank.Movies;

namespace SkRerank.Cli.Validation;

/// <summary>
/// What a command checks before it builds a pipeline: the settings (names, numbers, API key), the dataset (found,
/// readable, valid JSON and UTF-8, every record well-formed) and the cache folder. A bad input thus fails in well under
/// a second with one line and nothing written, instead of after the models load and the movies are embedded.
/// </summary>
internal static class Preflight
{
    /// <summary>Runs the checks; returns the settings with the dataset path resolved (so it is not searched for again).</summary>
    public static async Task<PipelineSettings> CheckAsync(PipelineSettings settings, CliContext context, CancellationToken cancellationToken)
    {
        if (CacheFolderCheck.Check(CacheDirectory.Resolve(settings.CacheDir)) is { } warning) context.Error.WriteLine(warning);

        var locator = new MovieDatasetLocator(logger: context.LoggerFactory.CreateLogger("SkRerank.Cli"));
        var path = await locator.LocateAsync(settings.Dataset, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (locator.Downloaded) context.Error.WriteLine($"Downloaded the cookbook's movies.json to {path}");
        _ = await MovieDataset.LoadAsync(path, cancellationToken).ConfigureAwait(false);
        // A server that is down, refuses the login or lacks pgvector fails here, before any model loads.
        if (settings.Store == "postgres") await SkRerank.Postgres.PostgresServerCheck.CheckAsync(settings.ConnectionString!, cancellationToken).ConfigureAwait(false);
        return settings with { Dataset = path };
    }
}
