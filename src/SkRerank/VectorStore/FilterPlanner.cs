using System.Linq.Expressions;
using System.Reflection;

namespace SkRerank.VectorStore;

/// <summary>
/// Translates a filter expression into the rows it selects, using the <see cref="PayloadIndex{TRecord}"/> and the key
/// map, so that a filtered search visits only matching rows. Translated: <c>x.P == v</c> and <c>v == x.P</c>
/// (<c>!=</c> as the complement) on an indexed property or the key, <c>x.Coll.Contains(v)</c> on an indexed
/// collection, <c>values.Contains(x.P)</c> over a captured array or list, <c>&amp;&amp;</c>, <c>||</c>, <c>!</c>, a
/// bare bool property, and constant conditions. Values may be constants or captured variables (closure fields, instance
/// properties of captured objects); they are read once per search.
/// </summary>
/// <remarks>
/// <para>
/// Anything else runs the compiled predicate, so every filter keeps exactly the semantics it has when run on each
/// record (SK's InMemory connector does just that): the planner only ever narrows the rows the predicate must see.
/// A part it cannot translate makes the result <i>approximate</i>: with <c>A &amp;&amp; B</c> and only A translated,
/// the predicate runs on A's rows only, which is what C#'s short-circuit would evaluate B on. B left of A is only
/// skipped where it cannot throw (see <c>IsSafe</c>), so a filter that throws on some record still throws.
/// </para>
/// <para>
/// Equality follows C#: strings ordinal, enums by value, lifted nullables (<c>null == null</c>), and
/// <c>NaN == NaN</c> false while <c>Contains(NaN)</c> (which uses <see cref="object.Equals(object)"/>) finds NaN.
/// A <c>Contains</c> on a collection property is translated only while every stored collection is a non-null array or
/// list, since a null one makes the predicate throw.
/// </para>
/// </remarks>
internal static class FilterPlanner
{
    /// <summary>
    /// Plans a filter for a <see cref="CollectionStorage{TKey, TRecord}.Read"/>, which uses the result before it returns. The filter is compiled (once per
    /// expression instance, see <see cref="CompiledExpressionCache"/>) only when the index cannot answer it alone, so a
    /// caller that builds a new lambda per search pays no compilation on the indexed path.
    /// </summary>
    public static RowFilter<TRecord> Plan<TRecord>(Expression<Func<TRecord, bool>> filter, IFilterSource<TRecord> source)
        where TRecord : class
    {
        var result = new Planner<TRecord>(filter.Parameters[0], source).Visit(filter.Body);
        return result.Kind switch
        {
            PlanKind.Exact => new RowFilter<TRecord>(result.Rows, null),
            PlanKind.Superset => new RowFilter<TRecord>(result.Rows, CompiledExpressionCache.Get(filter)),
            _ => new RowFilter<TRecord>(null, CompiledExpressionCache.Get(filter)),
        };
    }

    private enum PlanKind
    {
        /// <summary>Exactly the rows the predicate accepts.</summary>
        Exact,

        /// <summary>A superset of them: the predicate must still run on each.</summary>
        Superset,

        /// <summary>Not translated: the predicate must run on every row.</summary>
        Unknown,
    }

    /// <summary>
    /// The plan of a sub-expression. <c>Safe</c>: evaluating it on any record cannot throw (always so for an exact
    /// plan; a superset plan inherits it from its untranslated parts).
    /// </summary>
    private readonly record struct NodePlan(PlanKind Kind, RowSet Rows, bool Safe)
    {
        public static NodePlan Exact(RowSet rows) => new(PlanKind.Exact, rows, true);

        public static NodePlan Unknown(bool safe) => new(PlanKind.Unknown, default, safe);

        public bool IsKnown => Kind != PlanKind.Unknown;
    }

    private sealed class Planner<TRecord>(ParameterExpression record, IFilterSource<TRecord> source) where TRecord : class
    {
        private RowSet? _live;

        private RowSet Live => _live ??= source.LiveRows();

        public NodePlan Visit(Expression node)
        {
            switch (node)
            {
                case BinaryExpression { NodeType: ExpressionType.AndAlso, Method: null } and:
                    return And(Visit(and.Left), Visit(and.Right));
                case BinaryExpression { NodeType: ExpressionType.OrElse, Method: null } or:
                    return Or(Visit(or.Left), Visit(or.Right));
                case UnaryExpression { NodeType: ExpressionType.Not, Method: null } not when not.Type == typeof(bool):
                    var operand = Visit(not.Operand);
                    return operand.Kind == PlanKind.Exact ? NodePlan.Exact(RowSet.Except(Live, operand.Rows)) : NodePlan.Unknown(operand.Safe);
                case BinaryExpression { NodeType: ExpressionType.Equal or ExpressionType.NotEqual } equality:
                    return TryEquality(equality, out var rows) ? NodePlan.Exact(rows) : NodePlan.Unknown(IsSafe(node));
                case MethodCallExpression call:
                    return TryContains(call, out var found) ? NodePlan.Exact(found) : NodePlan.Unknown(IsSafe(node));
                case MemberExpression member when member.Expression == record && member.Type == typeof(bool)
                                                  && ScalarIndex(member.Member.Name) is { } boolIndex:
                    return NodePlan.Exact(boolIndex.Lookup(true));
            }
            if (node.Type == typeof(bool) && !DependsOnRecord(node) && TryEvaluate(node, out var value) && value is bool constant)
                return NodePlan.Exact(constant ? Live : RowSet.Empty);
            return NodePlan.Unknown(IsSafe(node));
        }

        private static NodePlan And(NodePlan left, NodePlan right)
        {
            var safe = left.Safe && right.Safe;
            if (left.Kind == PlanKind.Exact && right.Kind == PlanKind.Exact) return NodePlan.Exact(RowSet.Intersect(left.Rows, right.Rows));
            if (left.IsKnown && right.IsKnown) return new NodePlan(PlanKind.Superset, RowSet.Intersect(left.Rows, right.Rows), safe);
            // The predicate evaluates the right side only where the left holds, so the left's rows bound the result.
            if (left.IsKnown) return new NodePlan(PlanKind.Superset, left.Rows, safe);
            // The predicate evaluates an untranslated left side on every record: skip records only if that cannot throw.
            if (right.IsKnown && left.Safe) return new NodePlan(PlanKind.Superset, right.Rows, safe);
            return NodePlan.Unknown(safe);
        }

        private static NodePlan Or(NodePlan left, NodePlan right)
        {
            var safe = left.Safe && right.Safe;
            if (left.Kind == PlanKind.Exact && right.Kind == PlanKind.Exact) return NodePlan.Exact(RowSet.Union(left.Rows, right.Rows));
            if (left.IsKnown && right.IsKnown) return new NodePlan(PlanKind.Superset, RowSet.Union(left.Rows, right.Rows), safe);
            return NodePlan.Unknown(safe);
        }

        // x.P == v, v == x.P, x.P != v: a lookup (or its complement) on an indexed scalar property or the key.
        private bool TryEquality(BinaryExpression node, out RowSet rows)
        {
            rows = default;
            if (node.Type != typeof(bool)) return false;
            // Operators defined by the indexable types themselves (string, decimal, DateTime, ...) agree with Equals.
            if (node.Method is { } method && !(method.DeclaringType is { } declaring && IndexableTypes.IsScalar(declaring))) return false;

            Expression member, other;
            if (RecordProperty(node.Left) is { } left) (member, other) = (left, node.Right);
            else if (RecordProperty(node.Right) is { } right) (member, other) = (right, node.Left);
            else return false;

            var name = ((MemberExpression)member).Member.Name;
            if (DependsOnRecord(other) || !TryEvaluate(other, out var value)) return false;
            if (IndexableTypes.Core(node.Left.Type) != IndexableTypes.Core(member.Type)) return false;

            RowSet equal;
            if (name == source.Model.KeyName && ((MemberExpression)member).Member is PropertyInfo)
            {
                if (!IndexableTypes.IsScalar(source.Model.KeyType) || !IndexableTypes.TryNormalize(value, source.Model.KeyType, out var key)) return false;
                equal = key is null ? RowSet.Empty : source.KeyRows(key);
            }
            else if (ScalarIndex(name) is { } index)
            {
                if (!IndexableTypes.TryNormalize(value, index.PropertyType, out var key)) return false;
                // == on floating point never holds for NaN, though Equals (the index's equality) says NaN equals NaN.
                equal = key is double.NaN or float.NaN ? RowSet.Empty : index.Lookup(key);
            }
            else
            {
                return false;
            }
            rows = node.NodeType == ExpressionType.Equal ? equal : RowSet.Except(Live, equal);
            return true;
        }

        // x.Coll.Contains(v) on an indexed collection, or values.Contains(x.P) over a captured array or list.
        private bool TryContains(MethodCallExpression call, out RowSet rows)
        {
            rows = default;
            if (!TryReadContains(call, out var collection, out var item, out var elementType)) return false;

            if (RecordProperty(collection) is MemberExpression property)
            {
                if (source.Index?.Field(property.Member.Name) is not { AnswersContains: true } index || index.ElementType != elementType) return false;
                if (DependsOnRecord(item) || !TryEvaluate(item, out var value) || !IndexableTypes.TryNormalize(value, elementType, out var key)) return false;
                rows = index.Lookup(key);
                return true;
            }

            if (RecordProperty(item) is not MemberExpression scalar || scalar.Type != elementType) return false;
            if (DependsOnRecord(collection) || !TryEvaluate(collection, out var values)) return false;
            // Only arrays and lists are known to use default equality (a captured HashSet may have its own comparer).
            if (values is null || !IndexableTypes.HasDefaultContains(values, elementType)) return false;

            var isKey = scalar.Member.Name == source.Model.KeyName && scalar.Member is PropertyInfo;
            var field = isKey ? null : ScalarIndex(scalar.Member.Name);
            if (!isKey && field is null) return false;
            var found = new List<int>();
            foreach (var element in ((System.Collections.IEnumerable)values).Cast<object?>().Distinct())
            {
                if (isKey)
                {
                    if (element is not null) found.AddRange(source.KeyRows(element).Span);
                }
                else
                {
                    found.AddRange(field!.Lookup(element).Span);
                }
            }
            found.Sort();
            var distinct = found.Distinct().ToArray();
            rows = new RowSet(distinct, distinct.Length);
            return true;
        }

        // List<T>.Contains / ICollection<T>.Contains, Enumerable.Contains, and MemoryExtensions.Contains, to which C# 14
        // binds array.Contains(v) through an implicit conversion of the array to a span.
        private static bool TryReadContains(MethodCallExpression call, out Expression collection, out Expression item, out Type elementType)
        {
            collection = item = null!;
            elementType = null!;
            var method = call.Method;
            if (method.Name != nameof(Enumerable.Contains)) return false;

            if (call.Object is not null && call.Arguments.Count == 1 && method.DeclaringType is { IsGenericType: true } declaring
                && (declaring.GetGenericTypeDefinition() == typeof(List<>) || declaring.GetGenericTypeDefinition() == typeof(ICollection<>)))
            {
                (collection, item, elementType) = (call.Object, call.Arguments[0], declaring.GetGenericArguments()[0]);
                return true;
            }
            if (call.Object is null && method.IsGenericMethod && method.DeclaringType == typeof(Enumerable) && call.Arguments.Count == 2)
            {
                (collection, item, elementType) = (call.Arguments[0], call.Arguments[1], method.GetGenericArguments()[0]);
                return true;
            }
            if (call.Object is null && method.IsGenericMethod && method.DeclaringType == typeof(MemoryExtensions)
                && (call.Arguments.Count == 2 || call.Arguments is [_, _, ConstantExpression { Value: null }])
                && UnwrapSpan(call.Arguments[0]) is { } array)
            {
                (collection, item, elementType) = (array, call.Arguments[1], method.GetGenericArguments()[0]);
                return true;
            }
            return false;
        }

        private static Expression? UnwrapSpan(Expression span)
        {
            if (!span.Type.IsGenericType || (span.Type.GetGenericTypeDefinition() != typeof(ReadOnlySpan<>) && span.Type.GetGenericTypeDefinition() != typeof(Span<>)))
                return null;
            return span switch
            {
                MethodCallExpression { Method.Name: "op_Implicit", Object: null, Arguments: [var inner] } when inner.Type.IsArray => inner,
                UnaryExpression { NodeType: ExpressionType.Convert, Method: null or { Name: "op_Implicit" } } convert when convert.Operand.Type.IsArray => convert.Operand,
                _ => null,
            };
        }

        /// <summary>The record's model property (data or key) that an expression reads, under value-preserving conversions.</summary>
        private MemberExpression? RecordProperty(Expression node)
        {
            var stripped = StripConversions(node);
            return stripped is MemberExpression { Member: PropertyInfo } member && member.Expression == record && IsModelProperty(member.Member.Name)
                ? member
                : null;
        }

        private FieldIndex? ScalarIndex(string name) => source.Index?.Field(name) is { IsCollection: false } index ? index : null;

        private bool IsModelProperty(string name) => name == source.Model.KeyName || source.Model.DataFields.Any(f => f.Name == name);

        // Conversions that keep equality and cannot throw: to the same type, enum ↔ underlying number, T → T?.
        private static Expression StripConversions(Expression node)
        {
            while (node is UnaryExpression { NodeType: ExpressionType.Convert, Method: null } convert
                   && IndexableTypes.Core(convert.Operand.Type) == IndexableTypes.Core(convert.Type)
                   && !(Nullable.GetUnderlyingType(convert.Operand.Type) is not null && Nullable.GetUnderlyingType(convert.Type) is null && convert.Type.IsValueType))
            {
                node = convert.Operand;
            }
            return node;
        }

        /// <summary>
        /// Reads a value that does not depend on the record: constants, captured variables (fields of closures and
        /// static fields), instance properties of captured objects, and value-preserving conversions. Static properties
        /// (<c>DateTime.Now</c>) and method calls are not read: their value may change from record to record.
        /// <see langword="false"/> also when reading would throw (e.g. a null captured object), so that the predicate
        /// runs and throws as it would without the planner.
        /// </summary>
        private static bool TryEvaluate(Expression node, out object? value)
        {
            value = null;
            switch (node)
            {
                case ConstantExpression constant:
                    value = constant.Value;
                    return true;
                case MemberExpression { Member: FieldInfo field } member:
                    object? target = null;
                    if (member.Expression is not null && (!TryEvaluate(member.Expression, out target) || target is null)) return false;
                    if (member.Expression is null && !field.IsStatic) return false;
                    value = field.GetValue(target);
                    return true;
                case MemberExpression { Member: PropertyInfo { GetMethod: { IsStatic: false } } property, Expression: { } owner }
                    when property.GetIndexParameters().Length == 0:
                    if (!TryEvaluate(owner, out var instance) || instance is null) return false;
                    try
                    {
                        value = property.GetValue(instance);
                        return true;
                    }
                    catch (TargetInvocationException)
                    {
                        return false;
                    }
                case UnaryExpression { NodeType: ExpressionType.Convert, Method: null } convert
                    when IndexableTypes.Core(convert.Operand.Type) == IndexableTypes.Core(convert.Type):
                    if (!TryEvaluate(convert.Operand, out value)) return false;
                    // Unboxing a null into a non-nullable value type throws.
                    return value is not null || !convert.Type.IsValueType || Nullable.GetUnderlyingType(convert.Type) is not null;
                default:
                    return false;
            }
        }

        /// <summary>
        /// Whether evaluating an (untranslated) expression on any stored record cannot throw: reads of the record's model
        /// properties (the store read each of them when it copied the record), readable captured values, comparisons,
        /// logic, and non-throwing conversions and arithmetic on numbers. Conservative: anything else counts as unsafe.
        /// </summary>
        private bool IsSafe(Expression node)
        {
            switch (node)
            {
                case ConstantExpression:
                    return true;
                case ParameterExpression parameter:
                    return parameter == record;
                case MemberExpression { Member: PropertyInfo } member when member.Expression == record:
                    return IsModelProperty(member.Member.Name);
                case MemberExpression member:
                    return !DependsOnRecord(member) && TryEvaluate(member, out _);
                case UnaryExpression { NodeType: ExpressionType.Not, Method: null } not:
                    return IsSafe(not.Operand);
                case UnaryExpression { NodeType: ExpressionType.Convert, Method: null } convert:
                    // Numeric and enum conversions (unchecked) cannot throw; unwrapping a null nullable can.
                    return IsNumber(convert.Operand.Type) && IsNumber(convert.Type)
                           && !(Nullable.GetUnderlyingType(convert.Operand.Type) is not null && Nullable.GetUnderlyingType(convert.Type) is null)
                           && IsSafe(convert.Operand);
                case BinaryExpression binary:
                    var allowed = binary.NodeType switch
                    {
                        ExpressionType.Equal or ExpressionType.NotEqual or ExpressionType.LessThan or ExpressionType.LessThanOrEqual
                            or ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual
                            => binary.Method is null || (binary.Method.DeclaringType is { } type && IndexableTypes.IsScalar(type)),
                        ExpressionType.AndAlso or ExpressionType.OrElse or ExpressionType.And or ExpressionType.Or or ExpressionType.ExclusiveOr
                            or ExpressionType.Add or ExpressionType.Subtract or ExpressionType.Multiply
                            => binary.Method is null,
                        _ => false,
                    };
                    return allowed && IsSafe(binary.Left) && IsSafe(binary.Right);
                case ConditionalExpression conditional:
                    return IsSafe(conditional.Test) && IsSafe(conditional.IfTrue) && IsSafe(conditional.IfFalse);
                default:
                    return false;
            }
        }

        private static bool IsNumber(Type type)
        {
            var core = IndexableTypes.Core(type);
            return core.IsPrimitive && core != typeof(bool) && core != typeof(nint) && core != typeof(nuint);
        }

        private bool DependsOnRecord(Expression node) => new ParameterFinder(record).Finds(node);
    }

    private sealed class ParameterFinder(ParameterExpression parameter) : ExpressionVisitor
    {
        private bool _found;

        public bool Finds(Expression node)
        {
            Visit(node);
            return _found;
        }

        public override Expression? Visit(Expression? node) => _found ? node : base.Visit(node);

        protected override Expression VisitParameter(ParameterExpression node)
        {
            _found |= node == parameter;
            return node;
        }
    }
}
