namespace SkRerank.Together.Wire;

internal sealed class TeiRerankRequest
{
    public required string Query { get; init; }
    public required IReadOnlyList<string> Texts { get; init; }
    public bool ReturnText { get; init; }
}
