using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using SkRerank.Movies;
using SkRerank.Postgres;
using SkRerank.Search;
using SkRerank.VectorStore;

namespace SkRerank.Cli.Composition;

/// <summary>Creates the movie collection the user chose with <c>--store</c>: the one place the CLI picks a store.</summary>
internal static class MovieCollectionFactory
{
    /// <summary>The environment variable read when <c>--connection-string</c> is not given.</summary>
    public const string ConnectionStringVariable = "SKRERANK_POSTGRES";

    /// <summary>The table of <c>--store postgres</c>.</summary>
    public const string TableName = "movies";

    public static VectorStoreCollection<int, Movie> Create(PipelineSettings settings, int dimensions, IEmbeddingGenerator queryEmbedder, string? modelId)
    {
        var definition = MovieCollectionDefinition.Create(dimensions, queryEmbedder);
        if (settings.Store != "postgres")
        {
            return new InMemoryVectorStoreCollection<int, Movie>(TableName, new InMemoryCollectionOptions
            {
                Definition = definition,
                EmbeddingGenerator = queryEmbedder,
                HybridFusion = HybridFusionMethod.WeightedZScore,
                KeywordWeight = MovieSearchOptions.DefaultKeywordWeight,
            });
        }
        return new PostgresCollection<int, Movie>(settings.ConnectionString!, TableName, new PostgresCollectionOptions
        {
            Definition = definition,
            EmbeddingGenerator = queryEmbedder,
            EmbeddingModelId = modelId,
            HybridFusion = HybridFusionMethod.WeightedZScore,
            KeywordWeight = MovieSearchOptions.DefaultKeywordWeight,
        });
    }
}
