using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace SkRerank.Movies;

/// <summary>
/// Builds the <see cref="VectorStoreCollectionDefinition"/> of a <see cref="Movie"/> collection for a given embedding
/// size, since the attribute on <see cref="Movie.Embedding"/> can only name one (768 for bge-base, 384 for the
/// offline models).
/// </summary>
public static class MovieCollectionDefinition
{
    /// <summary>Creates the definition.</summary>
    /// <param name="dimensions">Length of the embedding vectors.</param>
    /// <param name="queryEmbeddingGenerator">Embeds string search values; wrap document generators in <see cref="Embeddings.QueryEmbeddingGenerator"/>.</param>
    /// <param name="distanceFunction">One of <see cref="DistanceFunction"/>; cosine similarity by default.</param>
    public static VectorStoreCollectionDefinition Create(
        int dimensions,
        IEmbeddingGenerator? queryEmbeddingGenerator = null,
        string distanceFunction = DistanceFunction.CosineSimilarity) =>
        Create(dimensions, null, queryEmbeddingGenerator, null, distanceFunction);

    /// <summary>Creates the definition, with <see cref="Movie.SecondaryEmbedding"/> when <paramref name="secondaryDimensions"/> is given.</summary>
    /// <param name="dimensions">Length of the <see cref="Movie.Embedding"/> vectors.</param>
    /// <param name="secondaryDimensions">Length of the <see cref="Movie.SecondaryEmbedding"/> vectors; <see langword="null"/> leaves the property out.</param>
    /// <param name="queryEmbeddingGenerator">Embeds string search values for <see cref="Movie.Embedding"/> (the collection's default).</param>
    /// <param name="secondaryQueryEmbeddingGenerator">Embeds string search values for <see cref="Movie.SecondaryEmbedding"/>.</param>
    /// <param name="distanceFunction">One of <see cref="DistanceFunction"/>, for both vectors; cosine similarity by default.</param>
    public static VectorStoreCollectionDefinition Create(
        int dimensions,
        int? secondaryDimensions,
        IEmbeddingGenerator? queryEmbeddingGenerator = null,
        IEmbeddingGenerator? secondaryQueryEmbeddingGenerator = null,
        string distanceFunction = DistanceFunction.CosineSimilarity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        if (secondaryDimensions is { } secondary) ArgumentOutOfRangeException.ThrowIfLessThan(secondary, 1, nameof(secondaryDimensions));
        var definition = new VectorStoreCollectionDefinition
        {
            EmbeddingGenerator = queryEmbeddingGenerator,
            Properties =
            [
                new VectorStoreKeyProperty(nameof(Movie.Id), typeof(int)),
                new VectorStoreDataProperty(nameof(Movie.Title), typeof(string)) { IsFullTextIndexed = true },
                new VectorStoreDataProperty(nameof(Movie.Overview), typeof(string)) { IsFullTextIndexed = true },
                new VectorStoreDataProperty(nameof(Movie.Director), typeof(string)) { IsIndexed = true, IsFullTextIndexed = true },
                new VectorStoreDataProperty(nameof(Movie.Genres), typeof(List<string>)) { IsIndexed = true, IsFullTextIndexed = true },
                new VectorStoreDataProperty(nameof(Movie.Tagline), typeof(string)) { IsFullTextIndexed = true },
                new VectorStoreVectorProperty(nameof(Movie.Embedding), typeof(ReadOnlyMemory<float>?), dimensions)
                {
                    DistanceFunction = distanceFunction,
                },
            ],
        };
        if (secondaryDimensions is { } size)
        {
            definition.Properties.Add(new VectorStoreVectorProperty(nameof(Movie.SecondaryEmbedding), typeof(ReadOnlyMemory<float>?), size)
            {
                DistanceFunction = distanceFunction,
                EmbeddingGenerator = secondaryQueryEmbeddingGenerator,
            });
        }
        return definition;
    }
}
