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
        string distanceFunction = DistanceFunction.CosineSimilarity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        return new VectorStoreCollectionDefinition
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
    }
}
