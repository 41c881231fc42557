namespace SkRerank.Together.Wire;

internal sealed class RerankItem
{
    public int? Index { get; init; }
    public double? RelevanceScore { get; init; }
}
