package jp.yui.server.web;

/**
 * A link in a page's menu.
 *
 * @param href  the page
 * @param label the message key of its name
 */
record Nav(String href, String label) {
}
