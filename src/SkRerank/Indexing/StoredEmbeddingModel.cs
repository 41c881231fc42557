namespace SkRerank.Indexing;

/// <summary>
/// Which embedding model a persistent collection's stored vectors come from. A collection that records and enforces it
/// (e.g. SkRerank.Postgres's, from its <c>EmbeddingModelId</c>) returns it from <c>GetService</c>; then
/// <see cref="MovieIndexer"/> keeps the stored vectors of unchanged movies when it indexes with the same model, instead
/// of embedding them again. Collections that do not return it are always re-embedded (the disk cache still applies).
/// </summary>
/// <param name="ModelId">
/// The model id, as <c>EmbeddingGeneratorMetadata.DefaultModelId</c> names it, with the embedded fields when they are
/// not the cookbook's (see <see cref="Describe(string, Movies.MovieTextFields, string?)"/>).
/// </param>
public sealed record StoredEmbeddingModel(string ModelId)
{
    /// <summary>
    /// What a collection records for vectors of <paramref name="modelId"/> over <paramref name="fields"/>: the bare model id
    /// for the cookbook's title + overview + tagline (what every earlier version embedded), else <c>model|fields</c>,
    /// so vectors of two texts are never mixed.
    /// </summary>
    public static string Describe(string modelId, Movies.MovieTextFields fields) => Describe(modelId, fields, null);

    /// <summary>
    /// What a collection records for vectors of <paramref name="modelId"/> (and <see cref="Movies.Movie.SecondaryEmbedding"/>
    /// vectors of <paramref name="secondaryModelId"/>, written <c>model+secondary</c>) over <paramref name="fields"/>.
    /// </summary>
    public static string Describe(string modelId, Movies.MovieTextFields fields, string? secondaryModelId)
    {
        var models = secondaryModelId is null ? modelId : $"{modelId}+{secondaryModelId}";
        return fields == Movies.MovieTextFields.Default ? models : $"{models}|{fields}";
    }
}
