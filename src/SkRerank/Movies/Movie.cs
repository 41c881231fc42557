using System.Text.Json.Serialization;
using Microsoft.Extensions.VectorData;

namespace SkRerank.Movies;

/// <summary>
/// One movie of the dataset as stored in a vector store collection. The key is the movie's 0-based index in
/// <c>movies.json</c>, so ids stay stable across runs and match the evaluation judgments.
/// </summary>
public sealed class Movie
{
    /// <summary>Default embedding dimensions (snowflake-arctic-embed-xs and all-MiniLM-L6-v2 produce 384-d vectors).</summary>
    public const int DefaultDimensions = 384;

    /// <summary>The movie's 0-based index in the dataset file.</summary>
    [VectorStoreKey]
    public int Id { get; set; }

    /// <summary>Title, e.g. "The Dark Knight".</summary>
    [VectorStoreData(IsFullTextIndexed = true)]
    public string Title { get; set; } = "";

    /// <summary>Plot summary.</summary>
    [VectorStoreData(IsFullTextIndexed = true)]
    public string Overview { get; set; } = "";

    /// <summary>Director's name, or an empty string when the dataset has none.</summary>
    [VectorStoreData(IsIndexed = true, IsFullTextIndexed = true)]
    public string Director { get; set; } = "";

    /// <summary>Genres, e.g. ["Action", "Science Fiction"] (multi-word genres are kept whole).</summary>
    [VectorStoreData(IsIndexed = true, IsFullTextIndexed = true)]
    public List<string> Genres { get; set; } = [];

    /// <summary>Marketing tagline; <see langword="null"/> where the dataset has none.</summary>
    [VectorStoreData(IsFullTextIndexed = true)]
    public string? Tagline { get; set; }

    /// <summary>
    /// The document embedding of <see cref="ToEmbeddingText"/>. The dimension in the attribute is the offline default;
    /// collections for other models pass a <see cref="VectorStoreCollectionDefinition"/> from
    /// <see cref="MovieCollectionDefinition.Create(int, Microsoft.Extensions.AI.IEmbeddingGenerator?, string)"/>.
    /// </summary>
    [VectorStoreVector(DefaultDimensions, DistanceFunction = DistanceFunction.CosineSimilarity)]
    [JsonIgnore]
    public ReadOnlyMemory<float>? Embedding { get; set; }

    /// <summary>
    /// A second model's embedding of the same text, which the first stage fuses with <see cref="Embedding"/> (the offline
    /// default stores all-MiniLM-L6-v2's here). It has no attribute: only a collection whose definition names it
    /// (<see cref="MovieCollectionDefinition.Create(int, int?, Microsoft.Extensions.AI.IEmbeddingGenerator?, Microsoft.Extensions.AI.IEmbeddingGenerator?, string)"/>) stores it.
    /// </summary>
    [JsonIgnore]
    public ReadOnlyMemory<float>? SecondaryEmbedding { get; set; }

    /// <summary>
    /// The text that is embedded for this movie: title, overview and tagline, each on its own line, skipping missing
    /// fields (the cookbook wrote the word "None" for a missing tagline; that only adds noise).
    /// </summary>
    public string ToEmbeddingText() => MovieText.Compose(this, MovieTextFields.Default);

    /// <summary>A copy of this movie (with its own genre list) carrying <paramref name="embedding"/>.</summary>
    public Movie WithEmbedding(ReadOnlyMemory<float>? embedding) => WithEmbeddings(embedding, null);

    /// <summary>A copy of this movie (with its own genre list) carrying both embeddings.</summary>
    public Movie WithEmbeddings(ReadOnlyMemory<float>? embedding, ReadOnlyMemory<float>? secondaryEmbedding) => new()
    {
        Id = Id,
        Title = Title,
        Overview = Overview,
        Director = Director,
        Genres = [.. Genres],
        Tagline = Tagline,
        Embedding = embedding,
        SecondaryEmbedding = secondaryEmbedding,
    };
}
