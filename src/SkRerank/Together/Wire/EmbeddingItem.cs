namespace SkRerank.Together.Wire;

internal sealed class EmbeddingItem
{
    public string? Object { get; init; }
    public float[]? Embedding { get; init; }
    public int? Index { get; init; }
}
