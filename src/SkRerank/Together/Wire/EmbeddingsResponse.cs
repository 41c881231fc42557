namespace SkRerank.Together.Wire;

internal sealed class EmbeddingsResponse
{
    public string? Object { get; init; }
    public string? Model { get; init; }
    public List<EmbeddingItem?>? Data { get; init; }
    public WireUsage? Usage { get; init; }
}
