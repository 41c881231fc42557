namespace SkRerank.Together.Wire;

internal sealed class TeiRerankItem
{
    public int? Index { get; init; }
    public double? Score { get; init; }
}
