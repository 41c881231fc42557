namespace SkRerank.Together.Wire;

internal sealed class EmbeddingsRequest
{
    public required string Model { get; init; }
    public required IReadOnlyList<string> Input { get; init; }
}
