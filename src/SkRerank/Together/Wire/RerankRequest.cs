namespace SkRerank.Together.Wire;

internal sealed class RerankRequest<TDocument>
{
    public required string Model { get; init; }
    public required string Query { get; init; }
    public required IReadOnlyList<TDocument> Documents { get; init; }
    public int? TopN { get; init; }
    public bool ReturnDocuments { get; init; }
    public IReadOnlyList<string>? RankFields { get; init; }
}
