using System.Linq.Expressions;
using System.Runtime.CompilerServices;

namespace SkRerank.VectorStore;

/// <summary>
/// Compiles each filter or selector expression instance once. Keyed by reference, not by text: two lambdas that
/// print alike may capture different values.
/// </summary>
internal static class CompiledExpressionCache
{
    private static readonly ConditionalWeakTable<LambdaExpression, Delegate> s_compiled = new();

    public static TDelegate Get<TDelegate>(Expression<TDelegate> expression) where TDelegate : Delegate =>
        (TDelegate)s_compiled.GetValue(expression, static e => e.Compile());
}
