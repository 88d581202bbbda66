/**
 * The PrimeFaces admin for support staff and admins. A web fragment: its pages live under
 * {@code META-INF/resources/admin/} and its Faces servlet is declared in {@code META-INF/web-fragment.xml},
 * so bundling this jar in the WAR is all it takes to serve {@code /admin/}.
 */
package io.billing.admin;
